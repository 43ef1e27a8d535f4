package org.plugtorch.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.plugtorch.launcher.fake.FakeBackendActivator;
import org.plugtorch.tck.ReferenceBackend;

/** Builds the test-only {@code fake-backend-bundle} (serving {@code fake:0}) in a given version. */
final class TestBundles {
    static final String FAKE_BSN = "fake-backend-bundle";

    private TestBundles() {}

    /** The bundle's bytes: the activator and a private copy of the reference backend's classes. */
    static byte[] fakeBackend(String version) {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", FAKE_BSN);
        a.putValue("Bundle-Version", version);
        a.putValue("Bundle-Activator", FakeBackendActivator.class.getName());
        a.putValue("Import-Package", "org.osgi.framework,org.plugtorch,org.plugtorch.spi,org.plugtorch.osgi");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, mf)) {
            for (String name : classFiles()) {
                jar.putNextEntry(new JarEntry(name));
                try (InputStream in = TestBundles.class.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The class files of the activator and of the reference backend with all its nested and synthetic classes. */
    private static List<String> classFiles() throws IOException {
        List<String> out = new ArrayList<>();
        out.add(resource(FakeBackendActivator.class));
        String prefix = resource(ReferenceBackend.class).replace(".class", "");
        URL url = TestBundles.class.getClassLoader().getResource(resource(ReferenceBackend.class));
        if (url.getProtocol().equals("jar")) {
            JarURLConnection c = (JarURLConnection) url.openConnection();
            try (JarFile jar = c.getJarFile()) {
                jar.stream()
                        .map(JarEntry::getName)
                        .filter(n -> isPartOf(n, prefix))
                        .forEach(out::add);
            }
        } else {
            Path dir = Path.of(URI.create(url.toString())).getParent();
            String pkg = prefix.substring(0, prefix.lastIndexOf('/') + 1);
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> pkg + f.getFileName())
                        .filter(n -> isPartOf(n, prefix))
                        .forEach(out::add);
            }
        }
        return out;
    }

    private static boolean isPartOf(String entry, String classPrefix) {
        return entry.equals(classPrefix + ".class")
                || (entry.startsWith(classPrefix + "$") && entry.endsWith(".class"));
    }

    private static String resource(Class<?> c) {
        return c.getName().replace('.', '/') + ".class";
    }

    /** Writes the bundle into {@code dir} atomically (a temporary file renamed into place), as FileInstall wants. */
    static Path dropInto(Path dir, String fileName, String version) throws IOException {
        Path tmp = Files.createTempFile(dir.getParent(), "bundle", ".tmp");
        Files.write(tmp, fakeBackend(version));
        return Files.move(
                tmp, dir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
