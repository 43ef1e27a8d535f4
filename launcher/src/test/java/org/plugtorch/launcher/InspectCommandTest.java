package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.Tensor;
import org.plugtorch.io.Checkpoints;
import org.plugtorch.tck.ReferenceDevices;

/** {@code plugtorch inspect} lists a checkpoint's tensors, and names a bad file in one line. */
class InspectCommandTest {

    @Test
    void itListsTensorsAndMetadata(@TempDir Path dir) throws Exception {
        ReferenceDevices.install();
        Path file = dir.resolve("model.safetensors");
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("linear.weight", Tensor.zeros(2, 3));
        sd.put("steps", Tensor.scalar(5L));
        Checkpoints.saveSafetensors(sd, Map.of("format", "pt"), file);
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try (Session session = new Session(dir, null)) {
            code = PlugtorchCommand.commandLine(session).execute("inspect", file.toString());
        } finally {
            System.setOut(saved);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(
                out.contains("linear.weight") && out.contains("F32") && out.contains("[2, 3]") && out.contains("24"),
                out);
        assertTrue(out.contains("steps") && out.contains("I64"), out);
        assertTrue(out.contains("format"), out);
    }

    @Test
    void aBadFileIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("broken.safetensors"), new byte[] {1, 2, 3});
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Session session = new Session(dir, null)) {
            picocli.CommandLine cli = PlugtorchCommand.commandLine(session);
            cli.setErr(new PrintWriter(err, true));
            assertEquals(1, cli.execute("inspect", file.toString()));
        }
        assertTrue(
                err.toString().startsWith("error: ") && err.toString().contains("broken.safetensors"), err.toString());
        assertEquals(1, err.toString().strip().split("\n").length, err.toString());
    }
}
