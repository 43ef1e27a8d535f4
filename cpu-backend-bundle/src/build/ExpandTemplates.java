import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Expands the per-dtype kernel templates ({@code *.java.template} beside the sources) into one Java class per dtype,
 * as the JDK expands {@code java/nio/X-Buffer.java.template}: the kernels of every dtype come from one source, and each
 * generated class is still plain, monomorphic code over primitive arrays. The build runs it before compiling (see this
 * module's pom: {@code java src/build/ExpandTemplates.java src/main/java target/generated-sources/dtypes}); it writes
 * only files whose text changed and deletes generated files no template produces any more.
 *
 * <p>A template's first line names its classes and their element types, and that line becomes the generated header:
 * <pre>
 * #generate FloatKernels=float, DoubleKernels=double, IntKernels=int, LongKernels=long
 * </pre>
 * In the rest, {@code $key$} stands for a word of the class's type ({@link #TYPES}) or {@code $Class$} for its name,
 * and lines {@code #if[flag]}, {@code #else[flag]}, {@code #end[flag]} (which nest) keep or drop the lines between
 * them by a flag of the type: {@code floating}, {@code integral}, or the type's own name. Directive and dropped lines
 * become empty lines, so line N of a generated class is line N of its template: a stack trace points into both.
 * An unknown key or flag, or an unbalanced directive, is an error naming the template and line.
 */
public final class ExpandTemplates {
    /** The words each element type puts into a template. */
    static final Map<String, Map<String, String>> TYPES = new LinkedHashMap<>();

    static {
        type("float", "Float", "Float", "float32", "f", "(float) ", "32", true);
        type("double", "Double", "Double", "float64", "d", "", "64", true);
        type("int", "Int", "Integer", "int32", "", "", "32", false);
        type("long", "Long", "Long", "int64", "L", "", "64", false);
        for (Map<String, String> words : TYPES.values()) {
            for (String other : TYPES.keySet()) {
                words.putIfAbsent("#" + other, "false");
            }
        }
    }

    /**
     * @param type    the Java primitive ({@code $type$})
     * @param upper   its capitalised name ({@code $Type$})
     * @param boxed   its wrapper class ({@code $Boxed$}: {@code Float.NaN}, {@code Integer.signum})
     * @param dtype   the dtype's PyTorch name ({@code $dtype$})
     * @param suffix  the suffix of its literals ({@code $x$}: {@code 1$x$} is {@code 1f}, {@code 1d})
     * @param narrow  the cast that rounds a double result to it ({@code $narrow$}; empty but for float)
     * @param bits    its width ({@code $bits$})
     */
    private static void type(String type, String upper, String boxed, String dtype, String suffix, String narrow,
            String bits, boolean floating) {
        // keys of flags start with '#', which no $key$ can name
        TYPES.put(type, new LinkedHashMap<>(Map.of("type", type, "Type", upper, "Boxed", boxed, "dtype", dtype,
                "x", suffix, "narrow", narrow, "bits", bits, "#" + type, "true",
                "#floating", Boolean.toString(floating), "#integral", Boolean.toString(!floating))));
    }

    private static final String SUFFIX = ".java.template";
    private static final Pattern GENERATE = Pattern.compile("#generate\\s+(.*)");
    private static final Pattern DIRECTIVE = Pattern.compile("\\s*#(if|else|end)\\[(\\w+)]\\s*");
    private static final Pattern KEY = Pattern.compile("\\$(\\w+)\\$");

    private ExpandTemplates() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java ExpandTemplates.java <source root> <output root>");
            System.exit(2);
        }
        Path sources = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Set<Path> written = new HashSet<>();
        List<Path> templates;
        try (Stream<Path> s = Files.walk(sources)) {
            templates = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted()
                    .collect(Collectors.toList());
        }
        for (Path template : templates) {
            Path dir = out.resolve(sources.relativize(template.getParent()).toString());
            for (Map.Entry<String, String> e : expand(template).entrySet()) {
                Path file = dir.resolve(e.getKey() + ".java");
                writeIfChanged(file, e.getValue());
                written.add(file.toAbsolutePath().normalize());
            }
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.walk(out)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                    if (!written.contains(p.toAbsolutePath().normalize())) {
                        Files.delete(p); // its template is gone or no longer names it
                    }
                }
            }
        }
    }

    /** The classes one template generates, by name, in the order its first line gives them. */
    static Map<String, String> expand(Path template) {
        List<String> lines;
        try {
            lines = Files.readAllLines(template, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = template.getFileName().toString();
        Matcher header = lines.isEmpty() ? null : GENERATE.matcher(lines.get(0));
        if (header == null || !header.matches()) {
            throw new IllegalArgumentException(name + ":1: the first line must be '#generate Class=type, ...'");
        }
        Map<String, String> classes = new LinkedHashMap<>();
        for (String spec : header.group(1).split(",")) {
            String[] parts = spec.trim().split("=");
            if (parts.length != 2 || !TYPES.containsKey(parts[1].trim())) {
                throw new IllegalArgumentException(name + ":1: '" + spec.trim() + "' is not Class=type, type one of "
                        + TYPES.keySet());
            }
            Map<String, String> words = new LinkedHashMap<>(TYPES.get(parts[1].trim()));
            words.put("Class", parts[0].trim());
            String generated = "// Generated by src/build/" + ExpandTemplates.class.getSimpleName() + ".java from "
                    + name + " (" + words.get("dtype") + "): edit the template, not this file.";
            classes.put(parts[0].trim(), generated + "\n" + expand(name, lines.subList(1, lines.size()), words));
        }
        return classes;
    }

    /** The lines after the header, for one type: directives resolved, keys replaced, line count kept. */
    static String expand(String name, List<String> lines, Map<String, String> words) {
        StringBuilder out = new StringBuilder();
        Deque<String> open = new ArrayDeque<>(); // the flags of the enclosing #if blocks
        Deque<Boolean> keeping = new ArrayDeque<>(); // whether each enclosing block keeps its current lines
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = name + ":" + (i + 2);
            Matcher d = DIRECTIVE.matcher(line);
            boolean kept = !keeping.contains(false);
            if (d.matches()) {
                String flag = d.group(2);
                String value = words.get("#" + flag);
                if (value == null) {
                    throw new IllegalArgumentException(where + ": unknown flag '" + flag + "'");
                }
                switch (d.group(1)) {
                    case "if":
                        open.push(flag);
                        keeping.push(Boolean.parseBoolean(value));
                        break;
                    case "else":
                        requireOpen(open, flag, where, "#else");
                        keeping.push(!keeping.pop());
                        break;
                    default:
                        requireOpen(open, flag, where, "#end");
                        open.pop();
                        keeping.pop();
                }
                out.append('\n');
            } else if (kept) {
                out.append(replaceKeys(line, words, where)).append('\n');
            } else {
                out.append('\n');
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException(name + ": #if[" + open.peek() + "] is never closed");
        }
        return out.toString();
    }

    private static void requireOpen(Deque<String> open, String flag, String where, String directive) {
        if (!flag.equals(open.peek())) {
            throw new IllegalArgumentException(where + ": " + directive + "[" + flag + "] does not close "
                    + (open.isEmpty() ? "any #if" : "#if[" + open.peek() + "]"));
        }
    }

    private static String replaceKeys(String line, Map<String, String> words, String where) {
        Matcher m = KEY.matcher(line);
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            String value = words.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(where + ": unknown key '$" + m.group(1) + "$'");
            }
            m.appendReplacement(s, Matcher.quoteReplacement(value));
        }
        return m.appendTail(s).toString();
    }

    private static void writeIfChanged(Path file, String text) throws IOException {
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return; // an unchanged file keeps its time, so the compiler need not see it as changed
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
