package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.io.Checkpoints;
import org.plugtorch.io.LoadOptions;
import org.plugtorch.tck.ReferenceDevices;

/**
 * A load that fails changes nothing, even when what fails is a copy: copy_'s own refusals (a value that partly
 * overlaps its target, a target whose elements overlap) are found while the load is planned, before the first copy,
 * and reported in PyTorch's layout for an exception raised by {@code param.copy_(input_param)} (PyTorch 1.13's text;
 * PyTorch itself has copied the keys before by then).
 */
class LoadChecksBeforeCopyTest {
    private static final String PARTIAL = "unsupported operation: some elements of the input tensor and the "
            + "written-to tensor refer to a single memory location. Please clone() the tensor before performing the "
            + "operation.";
    private static final String INTERNAL = "unsupported operation: more than one element of the written-to tensor "
            + "refers to a single memory location. Please clone() the tensor before performing the operation.";

    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    /** A parameter {@code a}, then a parameter {@code v} that is a view of {@code base} (a plain field). */
    static final class Viewed extends Module {
        final Tensor base;
        final Parameter a;
        final Parameter v;

        Viewed(Device device) {
            base = Tensor.zeros(new long[] {6}, DType.FLOAT32, device);
            a = parameter("a", Tensor.zeros(new long[] {3}, DType.FLOAT32, device));
            v = parameter("v", base.narrow(0, 0, 4));
        }
    }

    /** A parameter {@code a}, then an expanded buffer {@code e} (one element seen four times). */
    static final class Expanded extends Module {
        final Parameter a;
        final Tensor e;

        Expanded(Device device) {
            a = parameter("a", Tensor.zeros(new long[] {3}, DType.FLOAT32, device));
            e = buffer("e", Tensor.zeros(new long[] {1}, DType.FLOAT32, device).expand(4));
        }
    }

    private static String line(String key, String exception) {
        return "While copying the parameter named \"" + key + "\", whose dimensions in the model are "
                + "torch.Size([4]) and whose dimensions in the checkpoint are torch.Size([4]), an exception occurred : ('"
                + exception + "',).";
    }

    @Test
    void aValuePartlyOverlappingItsTargetFailsTheLoadBeforeAnyCopy() {
        for (Device device : new Device[] {Device.CPU, ReferenceDevices.FAKE}) {
            Viewed m = new Viewed(device);
            Map<String, Tensor> sd = new LinkedHashMap<>();
            sd.put("a", Tensor.ones(3));
            sd.put("v", m.base.narrow(0, 1, 4));
            String message = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd))
                    .getMessage();
            assertEquals("Error(s) in loading state_dict for Viewed:\n\t" + line("v", PARTIAL), message);
            assertArrayEquals(new float[3], m.a.toFloatArray(), "a changed on " + device);
            // the same text as copy_'s own refusal
            assertEquals(
                    PARTIAL,
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> m.v.detach().copy_(m.base.narrow(0, 1, 4)))
                            .getMessage());
        }
    }

    @Test
    void anExpandedBufferFailsTheLoadBeforeAnyCopy() throws IOException {
        for (Device device : new Device[] {Device.CPU, ReferenceDevices.FAKE}) {
            Expanded m = new Expanded(device);
            Map<String, Tensor> sd = new LinkedHashMap<>();
            sd.put("a", Tensor.ones(3));
            sd.put("e", Tensor.ones(4));
            String message = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd))
                    .getMessage();
            assertEquals("Error(s) in loading state_dict for Expanded:\n\t" + line("e", INTERNAL), message);
            assertArrayEquals(new float[3], m.a.toFloatArray(), "a changed on " + device);
            // and streamed from a file, tensor by tensor
            Path file = dir.resolve("expanded.safetensors");
            Checkpoints.saveSafetensors(sd, null, file);
            message = assertThrows(
                            IllegalArgumentException.class,
                            () -> Checkpoints.loadStateDict(m, file, LoadOptions.defaults()))
                    .getMessage();
            assertEquals("Error(s) in loading state_dict for Expanded:\n\t" + line("e", INTERNAL), message);
            assertArrayEquals(new float[3], m.a.toFloatArray(), "a changed on " + device);
            assertEquals(
                    INTERNAL,
                    assertThrows(IllegalArgumentException.class, () -> m.e.copy_(Tensor.ones(4)))
                            .getMessage());
        }
    }

    @Test
    void copyErrorsJoinTheOtherErrorsInTraversalOrder() {
        Viewed m = new Viewed(Device.CPU);
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("a", Tensor.ones(2));
        sd.put("v", m.base.narrow(0, 2, 4));
        sd.put("x", Tensor.ones(1));
        assertEquals(
                "Error(s) in loading state_dict for Viewed:\n"
                        + "\tUnexpected key(s) in state_dict: \"x\". \n"
                        + "\tsize mismatch for a: copying a param with shape torch.Size([2]) from checkpoint, the shape in "
                        + "current model is torch.Size([3]).\n"
                        + "\t" + line("v", PARTIAL),
                assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd))
                        .getMessage());
        // a value that is the target itself, or apart from it, is copied
        sd.remove("x");
        sd.put("a", Tensor.ones(3));
        sd.put("v", m.base.narrow(0, 0, 4).clone().fill_(2));
        m.loadStateDict(sd);
        assertArrayEquals(new float[] {2, 2, 2, 2, 0, 0}, m.base.toFloatArray());
        sd.put("v", m.v.detach());
        m.loadStateDict(sd);
        assertArrayEquals(new float[] {1, 1, 1}, m.a.toFloatArray());
    }
}
