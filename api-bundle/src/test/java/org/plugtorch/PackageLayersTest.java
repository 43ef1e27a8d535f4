package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the API bundle, read from its compiled classes by the JDK's {@code jdeps}: the public packages
 * sit on the internal ones, the backend SPI knows nothing of the runtime, and the only cycle is the one the API
 * cannot avoid.
 *
 * <p>That cycle: {@code Tensor}'s methods are implemented by the runtime and autograd packages, which compute on
 * and return {@code Tensor}s; the runtime drives backends through the SPI; and the SPI's calls name devices and
 * dtypes with the API's {@code Device} and {@code DType}. So {@code org.plugtorch}, {@code spi},
 * {@code internal.runtime} and {@code internal.autograd} are one strongly connected component, and it may not grow.
 * Inside it the edges are checked one by one: the SPI reaches the API through {@code DType} and {@code Device}
 * alone and never reaches the internals; the runtime never reaches autograd.
 */
class PackageLayersTest {
    private static final String ROOT = "org.plugtorch";
    private static final String SPI = "org.plugtorch.spi";
    private static final String RUNTIME = "org.plugtorch.internal.runtime";
    private static final String AUTOGRAD = "org.plugtorch.internal.autograd";

    /** Class-level edges between this bundle's classes (nested classes folded into their top-level class). */
    private static Map<String, Set<String>> classEdges;

    @BeforeAll
    static void readClasses() {
        Path classes = Paths.get("target", "classes");
        assertTrue(Files.isDirectory(classes), "compiled classes at " + classes.toAbsolutePath());
        ToolProvider jdeps =
                ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(
                new PrintWriter(out),
                new PrintWriter(err),
                "-verbose:class",
                "-filter:none",
                "-e",
                "org\\.plugtorch\\..*",
                classes.toString());
        assertEquals(0, rc, "jdeps failed: " + err);
        classEdges = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            String[] p = line.trim().split("\\s+");
            if (p.length >= 3 && p[1].equals("->") && p[0].startsWith(ROOT + ".")) {
                String from = topLevel(p[0]);
                String to = topLevel(p[2]);
                if (!from.equals(to)) {
                    classEdges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        assertTrue(classEdges.containsKey(ROOT + ".Tensor"), "jdeps saw the API: " + classEdges.keySet());
    }

    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static Map<String, Set<String>> packageEdges() {
        Map<String, Set<String>> edges = new TreeMap<>();
        classEdges.forEach((from, tos) -> {
            for (String to : tos) {
                String a = packageOf(from);
                String b = packageOf(to);
                edges.computeIfAbsent(a, k -> new TreeSet<>());
                if (!a.equals(b)) {
                    edges.get(a).add(b);
                }
            }
        });
        return edges;
    }

    @Test
    void theOnlyPackageCycleIsTheTensorApiWithItsRuntime() {
        List<Set<String>> cycles = stronglyConnected(packageEdges()).stream()
                .filter(c -> c.size() > 1)
                .collect(Collectors.toList());
        assertEquals(
                List.of(Set.of(ROOT, SPI, RUNTIME, AUTOGRAD)),
                cycles,
                "package cycles (a new one, or a package drawn into the API's): " + cycles);
    }

    @Test
    void theSpiReachesTheApiThroughDeviceAndDTypeOnly() {
        Set<String> reached = new TreeSet<>();
        classEdges.forEach((from, tos) -> {
            if (packageOf(from).equals(SPI)) {
                tos.stream().filter(t -> !packageOf(t).equals(SPI)).forEach(reached::add);
            }
        });
        assertEquals(Set.of(ROOT + ".DType", ROOT + ".Device"), reached, "what the backend SPI uses outside itself");
    }

    @Test
    void internalsReachNeitherTheLayersAboveNorEachOtherUpwards() {
        Map<String, Set<String>> edges = packageEdges();
        for (String internal : List.of(RUNTIME, AUTOGRAD)) {
            for (String above : List.of("nn", "optim", "io", "osgi", "registry")) {
                assertTrue(
                        !edges.getOrDefault(internal, Set.of()).contains(ROOT + "." + above),
                        internal + " depends on " + ROOT + "." + above);
            }
        }
        assertTrue(!edges.get(RUNTIME).contains(AUTOGRAD), "the runtime depends on autograd: " + edges.get(RUNTIME));
    }

    @Test
    void theRootPackageHoldsThePublicApiOnly() throws java.io.IOException {
        Set<String> root;
        try (java.util.stream.Stream<Path> files = Files.list(Paths.get("target", "classes", "org", "plugtorch"))) {
            root = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        root.remove("package-info");
        assertEquals(
                new TreeSet<>(List.of(
                        "DType",
                        "Device",
                        "DeviceEvent",
                        "DeviceListener",
                        "Generator",
                        "GradMode",
                        "Node",
                        "Tensor",
                        "TensorMove")),
                root);
    }

    /** Tarjan's algorithm, iterative. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String start : graph.keySet()) {
            if (index.containsKey(start)) {
                continue;
            }
            Deque<Object[]> work = new ArrayDeque<>();
            work.push(new Object[] {start, new ArrayList<>(graph.getOrDefault(start, Set.of())).iterator()});
            index.put(start, counter[0]);
            low.put(start, counter[0]++);
            stack.push(start);
            onStack.add(start);
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                String v = (String) frame[0];
                @SuppressWarnings("unchecked")
                java.util.Iterator<String> it = (java.util.Iterator<String>) frame[1];
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        index.put(w, counter[0]);
                        low.put(w, counter[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, new ArrayList<>(graph.getOrDefault(w, Set.of())).iterator()});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                } else {
                    work.pop();
                    if (!work.isEmpty()) {
                        String parent = (String) work.peek()[0];
                        low.put(parent, Math.min(low.get(parent), low.get(v)));
                    }
                    if (low.get(v).equals(index.get(v))) {
                        Set<String> component = new TreeSet<>();
                        String w;
                        do {
                            w = stack.pop();
                            onStack.remove(w);
                            component.add(w);
                        } while (!w.equals(v));
                        out.add(component);
                    }
                }
            }
        }
        return out;
    }
}
