package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.tck.ReferenceDevices;

/** The seed demo prints what PyTorch prints for the same seed, and a table computed from the live modules. */
class SeedDemoTest {

    private static String demo(Device device) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SeedDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(device, 0);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onTheCpuItPrintsPyTorchsValuesAndTheTable() {
        ReferenceDevices.install();
        String out = demo(Device.CPU);
        // printed by PyTorch 1.13 for the same model after torch.manual_seed(0)
        assertTrue(
                out.contains(
                        "parameter1 Parameter containing:\ntensor([ 0.4033,  0.8380, -0.7193], requires_grad=True)\n"
                                + "parameter2 Parameter containing:\ntensor([-0.4033, -0.5966,  0.1820], requires_grad=True)\n"
                                + "linear.weight Parameter containing:\ntensor([[-0.0043,  0.3097, -0.4752],\n"
                                + "        [-0.4249, -0.2224,  0.1548],\n"
                                + "        [-0.0114,  0.4578, -0.0512]], requires_grad=True)\n"
                                + "linear.bias Parameter containing:\ntensor([ 0.1528, -0.1745, -0.1135], requires_grad=True)\n"),
                out);
        assertTrue(out.contains("TestModel(\n  (linear): Linear(in_features=3, out_features=3, bias=True)\n)"), out);
        assertTrue(out.contains("> model.stateDict()\nOrderedDict([('parameter1', tensor("), out);
        assertTrue(
                out.contains(
                        "| registered parameter (either way) | yes             | yes                        | yes             | yes               |"),
                out);
        assertTrue(
                out.contains(
                        "| registered buffer                 | no              | yes (no if non-persistent) | yes             | no                |"),
                out);
        assertTrue(
                out.contains(
                        "| plain tensor field                | no              | no                         | no              | no                |"),
                out);
        assertTrue(out.contains("buffer1.device()    = cpu"), out);
    }

    @Test
    void onAnotherDeviceThePlainFieldStaysBehindAndForwardFails() {
        ReferenceDevices.install();
        String out = demo(ReferenceDevices.FAKE);
        assertTrue(out.contains("parameter1.device() = fake:0"), out);
        assertTrue(out.contains("buffer2.device()    = fake:0"), out);
        assertTrue(out.contains("buffer1.device()    = cpu"), out);
        assertTrue(
                out.contains(
                        "error: Expected all tensors to be on the same device, but found at least two devices, fake:0 and cpu!"),
                out);
        assertTrue(
                out.contains(
                        "| plain tensor field                | no              | no                         | no              | no                |"),
                out);
        assertTrue(
                out.contains(
                        "| registered buffer                 | no              | yes (no if non-persistent) | yes             | no                |"),
                out);
    }
}
