package org.plugtorch.launcher;

import static org.plugtorch.spi.Preconditions.checkState;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Manifest;
import org.plugtorch.Tensor;

/**
 * The packages the system bundle exports to the bundles: those the API jar on the class path declares in its own
 * {@code Export-Package} header (so a package added to the API needs no change here), with their versions.
 */
final class ApiExports {
    private ApiExports() {}

    /** The value for {@code org.osgi.framework.system.packages.extra}. */
    static String systemPackagesExtra() {
        List<String> clauses = new ArrayList<>(packagesOf(manifestOf(Tensor.class)));
        clauses.add("org.osgi.service.event;version=\"1.4.1\"");
        return String.join(",", clauses);
    }

    private static Manifest manifestOf(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        URL url = type.getClassLoader().getResource(resource);
        String base = url.toString().substring(0, url.toString().length() - resource.length());
        try (InputStream in = new URL(base + "META-INF/MANIFEST.MF").openStream()) {
            return new Manifest(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API's manifest next to " + url, e);
        }
    }

    /** {@code pkg;version="v"} for each clause of Export-Package, ignoring its other directives. */
    static List<String> packagesOf(Manifest manifest) {
        String header = manifest.getMainAttributes().getValue("Export-Package");
        checkState(header != null, "the API jar has no Export-Package header: is it the built bundle?");
        List<String> out = new ArrayList<>();
        for (String clause : splitOutsideQuotes(header, ',')) {
            String name = null;
            String version = null;
            for (String part : splitOutsideQuotes(clause, ';')) {
                String p = part.trim();
                if (name == null) {
                    name = p;
                } else if (p.startsWith("version=")) {
                    version = p.substring("version=".length()).replace("\"", "");
                }
            }
            out.add(name + (version == null ? "" : ";version=\"" + version + "\""));
        }
        return out;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
