package org.plugtorch;

import java.util.ArrayList;
import java.util.List;
import org.plugtorch.internal.Registry;
import org.plugtorch.spi.Backend;

/**
 * Moves every live storage of a leaving backend to host memory. It runs while the registry holds the gate
 * exclusively, so no operation is in flight; every tensor object over a moved storage (views, parameters,
 * gradients, optimizer state) is on the CPU afterwards, with its values.
 */
final class Evacuation {
    private Evacuation() {
    }

    static Registry.Evacuation evacuate(Backend backend) {
        List<TensorMove> moved = new ArrayList<>();
        long bytes = 0;
        for (Storage s : LiveStorages.ownedBy(backend)) {
            Device from = s.device();
            List<Tensor> over = s.tensors();
            bytes += s.size() * s.dtype().byteSize();
            s.evacuateFrom(backend);
            for (Tensor t : over) {
                moved.add(new TensorMove(t, from, Device.CPU));
            }
        }
        return new Registry.Evacuation(moved, bytes);
    }
}
