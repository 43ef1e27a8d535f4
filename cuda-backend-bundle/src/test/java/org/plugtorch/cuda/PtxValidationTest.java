package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompileResult;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed PTX file assembles for the oldest and the newest target the backend names, offline and without a
 * GPU: with {@code ptxas} where a CUDA toolkit is installed (skipped, with the reason, elsewhere), and with the PTX
 * compiler library that JCuda ships (CUDA 12.0's, which accepts ISA 8.0 and no later: so it also proves the files load
 * on 12.x drivers).
 */
class PtxValidationTest {
    static List<Arguments> targets() {
        List<Arguments> out = new ArrayList<>();
        for (KernelModule m : KernelModule.values()) {
            for (String sm : new String[] {"sm_75", "sm_90"}) {
                out.add(Arguments.of(m, sm));
            }
        }
        return out;
    }

    private static Path ptxas() {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "ptxas");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @ParameterizedTest(name = "ptxas -arch={1} {0}.ptx")
    @MethodSource("targets")
    void ptxasAssemblesIt(KernelModule module, String sm) throws IOException, InterruptedException {
        Path ptxas = ptxas();
        Assumptions.assumeTrue(
                ptxas != null, "ptxas is not on the PATH (no CUDA toolkit here): not validated by ptxas");
        Path ptx = Files.createTempFile(module.fileName, ".ptx");
        Path log = Files.createTempFile(module.fileName, ".log");
        try {
            Files.writeString(ptx, CommittedPtx.text(module), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(ptxas.toString(), "-arch=" + sm, ptx.toString(), "-o", "/dev/null")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "ptxas finished");
            assertEquals(
                    0, p.exitValue(), "ptxas -arch=" + sm + " " + module.fileName + ".ptx: " + Files.readString(log));
        } finally {
            Files.deleteIfExists(ptx);
            Files.deleteIfExists(log);
        }
    }

    @ParameterizedTest(name = "nvPTXCompiler --gpu-name={1} {0}.ptx")
    @MethodSource("targets")
    void jcudasPtxCompilerAssemblesIt(KernelModule module, String sm) {
        byte[] ptx = PtxResources.ptx(module);
        nvPTXCompilerHandle h = new nvPTXCompilerHandle();
        int created;
        try {
            created = JNvPTXCompiler.nvPTXCompilerCreate(h, ptx.length - 1, ptx);
        } catch (LinkageError e) {
            Assumptions.abort("JCuda's PTX compiler library could not be loaded: " + CudaStartup.firstLine(e));
            return;
        }
        assertEquals(nvPTXCompileResult.NVPTXCOMPILE_SUCCESS, created, nvPTXCompileResult.stringFor(created));
        try {
            int result = JNvPTXCompiler.nvPTXCompilerCompile(h, 1, new String[] {"--gpu-name=" + sm});
            assertEquals(
                    nvPTXCompileResult.NVPTXCOMPILE_SUCCESS,
                    result,
                    () -> nvPTXCompileResult.stringFor(result) + ": " + errorLog(h));
        } finally {
            JNvPTXCompiler.nvPTXCompilerDestroy(h);
        }
    }

    private static String errorLog(nvPTXCompilerHandle h) {
        long[] size = {0};
        JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(h, size);
        byte[] log = new byte[(int) size[0]];
        JNvPTXCompiler.nvPTXCompilerGetErrorLog(h, log);
        return new String(log, StandardCharsets.UTF_8).strip();
    }
}
