package org.plugtorch.launcher.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Module;

/**
 * Host copies of a module's parameters and buffers (and of any plain tensors named with {@link #with}), taken
 * before training, to tell afterwards which tensors changed: the evidence of what an optimizer trains.
 */
public final class StateSnapshot {
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private static final class Entry {
        final Tensor tensor;
        final TensorChange.Kind kind;
        final double[] values;
        final String device;

        Entry(Tensor tensor, TensorChange.Kind kind) {
            this.tensor = tensor;
            this.kind = kind;
            this.values = tensor.toDoubleArray();
            this.device = tensor.device().toString();
        }
    }

    private StateSnapshot() {}

    /** A snapshot of every parameter and buffer of {@code module}, by their names. */
    public static StateSnapshot of(Module module) {
        StateSnapshot s = new StateSnapshot();
        module.namedParameters().forEach((name, p) -> s.entries.put(name, new Entry(p, TensorChange.Kind.PARAMETER)));
        module.namedBuffers().forEach((name, b) -> s.entries.put(name, new Entry(b, TensorChange.Kind.BUFFER)));
        return s;
    }

    /** Adds a plain (unregistered) tensor under {@code name}; returns this. */
    public StateSnapshot with(String name, Tensor plain) {
        entries.put(name, new Entry(plain, TensorChange.Kind.PLAIN));
        return this;
    }

    /** Every tensor of the snapshot, as it is now compared with how it was, in snapshot order. */
    public List<TensorChange> changes() {
        List<TensorChange> out = new ArrayList<>();
        entries.forEach((name, e) -> {
            double[] now = e.tensor.toDoubleArray();
            double max = now.length == e.values.length ? 0 : Double.POSITIVE_INFINITY;
            for (int i = 0; i < Math.min(now.length, e.values.length); i++) {
                double d = Math.abs(now[i] - e.values[i]);
                max = Double.isNaN(d) ? Double.NaN : Math.max(max, d);
            }
            out.add(new TensorChange(
                    name, e.kind, max, e.device, e.tensor.device().toString()));
        });
        return out;
    }
}
