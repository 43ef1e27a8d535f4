package org.plugtorch.opencl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the OpenCL benchmarks and the CPU baselines in one JMH run and reports each OpenCL figure as a ratio to its
 * baseline measured in that same run (the CPU backend's kernel, or {@link System#arraycopy} of the same bytes):
 * absolute times on a shared machine drift, ratios measured side by side drift much less.
 *
 * <p>Writes JMH's JSON and a Markdown table to the directory given as the only argument. Forks and iterations can be
 * lowered for a quick look ({@code -Dbench.forks=1 -Dbench.iterations=2}); the figures in docs/benchmarks.md use
 * the defaults.
 */
public final class OpenClBenchmarks {
    private OpenClBenchmarks() {}

    public static void main(String[] args) throws RunnerException, IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
        Files.createDirectories(out);
        Options options = new OptionsBuilder()
                .include(OpenClBenchmarks.class.getPackageName() + "\\..*Benchmark\\.")
                .forks(Integer.getInteger("bench.forks", 2))
                .warmupIterations(Integer.getInteger("bench.warmup", 2))
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(Integer.getInteger("bench.iterations", 5))
                .measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Xmx6g", "--enable-native-access=ALL-UNNAMED")
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("opencl-bench.json").toString())
                .build();
        Collection<RunResult> results = new Runner(options).run();
        String table = table(results);
        Files.writeString(out.resolve("opencl-bench.md"), table, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(table);
    }

    private static String table(Collection<RunResult> results) {
        List<String> rows = new ArrayList<>();
        rows.add("| what | opencl:0 | baseline | opencl : baseline (time) |");
        rows.add("| --- | --- | --- | --- |");
        for (String n : new String[] {"256", "1024"}) {
            Result<?> ocl = find(results, "MatmulBenchmark.matmul", "opencl:0", n);
            Result<?> cpu = find(results, "MatmulBenchmark.matmul", "cpu", n);
            double flops = 2.0 * Math.pow(Integer.parseInt(n), 3);
            rows.add(row(
                    "matmul float32 n=" + n, ocl, cpu, "cpu backend", gflops(flops, ocl) + ", " + gflops(flops, cpu)));
        }
        Result<?> addOcl = find(results, "ElementwiseBenchmark.add", "opencl:0", null);
        Result<?> addCpu = find(results, "ElementwiseBenchmark.add", "cpu", null);
        double addBytes = 3.0 * 4 * ElementwiseBenchmark.N;
        rows.add(row(
                "add float32, 16M elements",
                addOcl,
                addCpu,
                "cpu backend",
                gbps(addBytes, addOcl) + ", " + gbps(addBytes, addCpu)));
        Result<?> copy = find(results, "TransferBenchmark.arraycopy", null, null);
        double bytes = 4.0 * TransferBenchmark.N;
        for (String way : new String[] {"hostToDevice", "deviceToHost"}) {
            Result<?> r = find(results, "TransferBenchmark." + way, null, null);
            rows.add(row(way + ", 64 MiB", r, copy, "System.arraycopy", gbps(bytes, r) + ", " + gbps(bytes, copy)));
        }
        Result<?> moveCopy = find(results, "MoveBenchmark.arraycopy", null, null);
        double moveBytes = 4.0 * MoveBenchmark.N;
        String[][] moves = {
            {"toDevice", "Tensor.to(opencl:0), 64 MiB"},
            {"toHost", "Tensor.to(cpu), 64 MiB"},
            {"evacuate", "evacuation of " + MoveBenchmark.PIECES + " tensors, 64 MiB"}
        };
        for (String[] m : moves) {
            Result<?> r = find(results, "MoveBenchmark." + m[0], null, null);
            rows.add(row(m[1], r, moveCopy, "System.arraycopy", gbps(moveBytes, r) + ", " + gbps(moveBytes, moveCopy)));
        }
        return String.join("\n", rows) + "\n";
    }

    private static String row(String what, Result<?> ocl, Result<?> base, String baseName, String rates) {
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s: %s | %.2f (%s) |",
                what,
                time(ocl),
                baseName,
                time(base),
                ocl.getScore() / base.getScore(),
                rates);
    }

    private static String time(Result<?> r) {
        return String.format(Locale.ROOT, "%.3f ± %.3f %s", r.getScore(), r.getScoreError(), r.getScoreUnit());
    }

    private static String gflops(double flops, Result<?> r) {
        return String.format(Locale.ROOT, "%.2f GFLOP/s", flops / (r.getScore() * 1e-3) / 1e9);
    }

    private static String gbps(double bytes, Result<?> r) {
        return String.format(Locale.ROOT, "%.2f GB/s", bytes / (r.getScore() * 1e-3) / 1e9);
    }

    private static Result<?> find(Collection<RunResult> results, String benchmark, String device, String n) {
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            if (name.endsWith(benchmark)
                    && (device == null || device.equals(r.getParams().getParam("device")))
                    && (n == null || n.equals(r.getParams().getParam("n")))) {
                return r.getPrimaryResult();
            }
        }
        throw new IllegalStateException("no result for " + benchmark + " " + device + " " + n);
    }
}
