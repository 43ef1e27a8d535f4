package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.DType;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Module;
import org.plugtorch.tck.ReferenceDevices;

/**
 * The other direction: files Plugtorch writes, loaded and checked value by value by real PyTorch
 * ({@code fixtures/checkpoints/check_plugtorch_files.py}), which computes every expected value itself from the same
 * seeds and formulas. Skips, saying why, where no Python with torch and numpy is installed.
 */
class PyTorchReadsPlugtorchFilesTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    /** The tensors whose formulas check_plugtorch_files.py repeats in PyTorch. */
    static Map<String, Tensor> formulas() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("f32", Tensor.arange(12).to(DType.FLOAT32).reshape(3, 4).div(7.0));
        t.put("f64", Tensor.arange(5).to(DType.FLOAT64).mul(0.1).sub(2.0));
        t.put("i64", Tensor.of(Long.MIN_VALUE, -1L, 0L, 1L << 40, Long.MAX_VALUE));
        t.put("i32", Tensor.of(Integer.MIN_VALUE, 0, Integer.MAX_VALUE));
        t.put("b", Tensor.of(true, false, true, true));
        t.put("scalar", Tensor.scalar(2.5));
        t.put("empty", Tensor.zeros(new long[] {0, 3}, DType.FLOAT64, org.plugtorch.Device.CPU));
        t.put("transposed", Tensor.arange(6).reshape(2, 3).t());
        t.put("special", Tensor.of(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -0f, Float.MIN_VALUE));
        return t;
    }

    @Test
    void pyTorchLoadsWhatPlugtorchWritesValueByValue() throws Exception {
        assumeTrue(PythonWithTorch.command() != null, PythonWithTorch::whyMissing);

        Generator.seedDefault(0);
        Checkpoints.save(new CheckpointModels.SeedModel(), Map.of("format", "pt"), dir.resolve("seed.safetensors"));

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("written_by", "plugtorch");
        metadata.put("note", "é \"quoted\"\n");
        Checkpoints.saveSafetensors(formulas(), metadata, dir.resolve("dtypes.safetensors"));

        Generator.seedDefault(4);
        Checkpoints.save(new CheckpointModels.Tied(), dir.resolve("tied.safetensors"));

        Module mlp = CheckpointModels.mlp();
        Checkpoints.loadStateDict(mlp, CheckpointFixtures.file("mlp.pt"), LoadOptions.defaults());
        Checkpoints.save(mlp, dir.resolve("mlp.safetensors"));

        Path checker = CheckpointFixtures.file("check_plugtorch_files.py");
        PythonWithTorch.Result r = PythonWithTorch.run(
                600,
                checker.toString(),
                dir.toString(),
                CheckpointFixtures.dir().toString());
        System.out.print(r.output);
        assertEquals(0, r.exitCode, r.output);
    }
}
