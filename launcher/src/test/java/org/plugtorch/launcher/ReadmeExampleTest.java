package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Module;
import org.plugtorch.nn.Parameter;
import org.plugtorch.tck.ReferenceDevices;

/** The README's example module, verbatim, does what the README says. */
class ReadmeExampleTest {

    static class Net extends Module {
        final Linear fc; // a child module
        final Parameter scale; // a parameter: trained, saved, moved
        final Tensor runningMean; // a buffer: saved, moved, never trained
        final Tensor scratch; // a plain field: NOT registered, so not saved and not moved

        Net() {
            fc = module("fc", new Linear(4, 2)); // registerModule("fc", ...)
            scale = parameter("scale", Tensor.ones(2)); // registerParameter("scale", new Parameter(...))
            runningMean = buffer("running_mean", Tensor.zeros(2)); // registerBuffer("running_mean", ...)
            scratch = Tensor.zeros(2);
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(x).mul(scale).sub(runningMean);
        }
    }

    @Test
    void theExampleBehavesAsDocumented() {
        ReferenceDevices.install();
        Net net = new Net();
        assertEquals(
                List.of("scale", "running_mean", "fc.weight", "fc.bias"),
                List.copyOf(net.stateDict().keySet()));
        Parameter scale = net.scale;
        Tensor scratch = net.scratch;
        assertSame(net, net.to(ReferenceDevices.FAKE));
        assertSame(scale, net.getParameter("scale"));
        assertEquals(ReferenceDevices.FAKE, net.scale.device());
        assertEquals(ReferenceDevices.FAKE, net.runningMean.device());
        assertEquals(ReferenceDevices.FAKE, net.fc.weight.device());
        assertSame(scratch, net.scratch);
        assertEquals(Device.CPU, net.scratch.device());
        assertEquals(
                List.of(2L),
                List.of(net.forward(Tensor.ones(3, 4).to(ReferenceDevices.FAKE)).size(1)));
    }
}
