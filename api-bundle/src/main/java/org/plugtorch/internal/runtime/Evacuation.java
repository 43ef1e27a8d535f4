package org.plugtorch.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.TensorMove;
import org.plugtorch.spi.Backend;

/**
 * What moving every live storage of a leaving backend to host memory did. It runs while the registry holds the
 * gate exclusively, so no operation is in flight; every tensor object over a moved storage (views, parameters,
 * gradients, optimizer state) is on the CPU afterwards, with its values.
 */
final class Evacuation {
    static final Evacuation NOTHING = new Evacuation(List.of(), 0);

    final List<TensorMove> moved;
    final long bytes;

    private Evacuation(List<TensorMove> moved, long bytes) {
        this.moved = moved;
        this.bytes = bytes;
    }

    /** Moves every live storage {@code backend} owns to the host, and says which tensors moved. */
    static Evacuation of(Backend backend) {
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
        return new Evacuation(moved, bytes);
    }
}
