package org.plugtorch.optim;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.plugtorch.GradMode;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.internal.runtime.PyRepr;

/**
 * The base of the optimizers, PyTorch's {@code torch.optim.Optimizer}: parameter groups with options, per-parameter
 * state, {@link #zeroGrad}, {@link #step}, and {@link #stateDict}/{@link #loadStateDict} in PyTorch's layout.
 *
 * <p><b>State and moves.</b> State is kept per parameter <em>object</em> (PyTorch keys it by the tensor). Since a
 * module's {@code to(device)} keeps every Parameter the same object, an optimizer built before the move keeps
 * working after it: at the next {@link #step} (and in {@link #stateDict}) each state tensor is re-homed in place
 * to its parameter's current device, and a floating-point one to its parameter's dtype (the {@code step} count of
 * Adam stays a CPU scalar, as in PyTorch). Evacuation when a backend leaves moves state and parameters alike.
 *
 * <p>Steps run with grad mode off: they change parameters in place, which autograd would refuse for leaves.
 */
public abstract class Optimizer {
    private final Map<String, Object> defaults;
    private final List<ParamGroup> paramGroups = new ArrayList<>();
    /** Per parameter object, in the order parameters first got state (PyTorch's dict order). */
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();

    private final List<Tensor> stateOrder = new ArrayList<>();

    /**
     * An optimizer over {@code params} as one group, with {@code defaults} (PyTorch's names, in its order) for
     * every option a group does not set.
     */
    protected Optimizer(List<? extends Tensor> params, Map<String, Object> defaults) {
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        checkArgument(params != null && !params.isEmpty(), "optimizer got an empty parameter list");
        addParamGroup(params, Map.of());
    }

    /**
     * Adds a group of parameters with its own {@code options} (the others from the defaults), as PyTorch's
     * {@code add_param_group}: for instance layers unfrozen during fine-tuning, or a different learning rate. The
     * group's options keep the order given (pass a {@code LinkedHashMap} for several), then the defaults'.
     */
    public final ParamGroup addParamGroup(List<? extends Tensor> params, Map<String, Object> options) {
        for (Tensor p : params) {
            checkArgument(p != null, "optimizer can only optimize Tensors, but one of the params is null");
            checkArgument(p.isLeaf() || p.retainsGrad(), "can't optimize a non-leaf Tensor");
        }
        // PyTorch's dict order: the options given, then the defaults not given
        LinkedHashMap<String, Object> merged = new LinkedHashMap<>(options);
        merged.remove("params");
        defaults.forEach(merged::putIfAbsent);
        for (ParamGroup g : paramGroups) {
            for (Tensor existing : g.params()) {
                for (Tensor p : params) {
                    checkArgument(existing != p, "some parameters appear in more than one parameter group");
                }
            }
        }
        ParamGroup group = new ParamGroup(params, merged);
        paramGroups.add(group);
        return group;
    }

    /** The groups, in order (each one's options can be changed between steps). */
    public final List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(paramGroups);
    }

    /** The default options, in PyTorch's order. */
    public final Map<String, Object> defaults() {
        return defaults;
    }

    /**
     * The state of one parameter (empty until a step gives it some): {@code momentum_buffer} for SGD,
     * {@code step}, {@code exp_avg}, {@code exp_avg_sq} for Adam. A live view: the tensors are the optimizer's own.
     */
    public final Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(param);
        if (s == null) {
            return Map.of();
        }
        rehome(param, s);
        return Collections.unmodifiableMap(s);
    }

    /** The state of {@code param}, made empty the first time and re-homed to the parameter's device and dtype. */
    protected final Map<String, Object> stateFor(Tensor param) {
        Map<String, Object> s = state.get(param);
        if (s == null) {
            s = new LinkedHashMap<>();
            state.put(param, s);
            stateOrder.add(param);
        } else {
            rehome(param, s);
        }
        return s;
    }

    /** Moves every state tensor of {@code param} (but {@code step}) to the parameter's device and floating dtype, in place. */
    private static void rehome(Tensor param, Map<String, Object> s) {
        for (Map.Entry<String, Object> e : s.entrySet()) {
            if (!(e.getValue() instanceof Tensor) || e.getKey().equals("step")) {
                continue;
            }
            Tensor t = (Tensor) e.getValue();
            // the devices are compared and the copy made inside the gate: a backend leaving in between would
            // otherwise send the copy to a device that is gone
            Ops.atomically(() -> {
                boolean dtypeDiffers = t.isFloatingPoint() && param.isFloatingPoint() && t.dtype() != param.dtype();
                if (!t.device().equals(param.device()) || dtypeDiffers) {
                    GradMode scope = GradMode.noGrad();
                    try {
                        t.setData(t.to(param.device(), dtypeDiffers ? param.dtype() : t.dtype()));
                    } finally {
                        scope.close();
                    }
                }
                return t;
            });
        }
    }

    /** Sets every parameter's gradient to null (the current PyTorch default). */
    public final void zeroGrad() {
        zeroGrad(true);
    }

    /** With {@code setToNone == false}, zeroes the gradients in place instead. */
    public final void zeroGrad(boolean setToNone) {
        for (ParamGroup g : paramGroups) {
            for (Tensor p : g.params()) {
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                if (setToNone) {
                    p.setGrad(null);
                } else {
                    if (grad.gradFn() != null) {
                        grad.detach_();
                    } else {
                        grad.requiresGrad_(false);
                    }
                    grad.zero_();
                }
            }
        }
    }

    /** Updates every parameter that has a gradient, once. */
    public final void step() {
        GradMode scope = GradMode.noGrad();
        try {
            for (ParamGroup group : paramGroups) {
                update(group);
            }
        } finally {
            scope.close();
        }
    }

    /**
     * Re-evaluates the loss with {@code closure} (grad mode on; the closure typically zeroes the gradients, runs the
     * model and calls {@code backward}), then steps; returns the loss.
     */
    public final Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        GradMode scope = GradMode.enableGrad();
        try {
            loss = closure.get();
        } finally {
            scope.close();
        }
        step();
        return loss;
    }

    /** One step over the parameters of {@code group} that have a gradient; runs with grad mode off. */
    protected abstract void update(ParamGroup group);

    /**
     * PyTorch's {@code state_dict()}: {@code "state"}, a map from each parameter's index (counted across the groups,
     * in order) to its state, and {@code "param_groups"}, one map per group with its options and, last,
     * {@code "params"}, the list of its parameters' indices. The state tensors are the optimizer's own (copy them
     * for a snapshot).
     */
    public final Map<String, Object> stateDict() {
        Map<Tensor, Integer> index = new IdentityHashMap<>();
        List<Map<String, Object>> groups = new ArrayList<>();
        int start = 0;
        for (ParamGroup g : paramGroups) {
            List<Integer> ids = new ArrayList<>();
            int i = start;
            for (Tensor p : g.params()) {
                index.putIfAbsent(p, i);
                ids.add(index.get(p));
                i++;
            }
            LinkedHashMap<String, Object> packed = new LinkedHashMap<>(g.options());
            packed.put("params", Collections.unmodifiableList(ids));
            groups.add(Collections.unmodifiableMap(packed));
            start += ids.size();
        }
        LinkedHashMap<Integer, Map<String, Object>> packedState = new LinkedHashMap<>();
        for (Tensor p : stateOrder) {
            Map<String, Object> s = state.get(p);
            rehome(p, s);
            packedState.put(index.get(p), Collections.unmodifiableMap(new LinkedHashMap<>(s)));
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("state", Collections.unmodifiableMap(packedState));
        out.put("param_groups", Collections.unmodifiableList(groups));
        return Collections.unmodifiableMap(out);
    }

    /**
     * PyTorch's {@code load_state_dict}: the groups must match in number and sizes; each group takes the saved
     * options (keeping its parameters), and each parameter a copy of its saved state, with floating-point tensors
     * converted to the parameter's dtype and every tensor but {@code step} moved to the parameter's device.
     */
    @SuppressWarnings("unchecked")
    public final void loadStateDict(Map<String, ?> stateDict) {
        List<Map<String, Object>> saved = (List<Map<String, Object>>) stateDict.get("param_groups");
        Map<Object, Map<String, Object>> savedState = (Map<Object, Map<String, Object>>) stateDict.get("state");
        checkArgument(
                saved != null && savedState != null,
                () -> "an optimizer state_dict has the keys 'state' and 'param_groups', got " + stateDict.keySet());
        checkArgument(
                saved.size() == paramGroups.size(), "loaded state dict has a different number of parameter groups");
        for (int i = 0; i < saved.size(); i++) {
            checkArgument(
                    ((List<?>) saved.get(i).get("params")).size()
                            == paramGroups.get(i).params().size(),
                    "loaded state dict contains a parameter group that doesn't match "
                            + "the size of optimizer's group");
        }
        Map<Object, Tensor> idMap = new LinkedHashMap<>();
        for (int i = 0; i < saved.size(); i++) {
            List<?> ids = (List<?>) saved.get(i).get("params");
            List<Tensor> params = paramGroups.get(i).params();
            for (int j = 0; j < ids.size(); j++) {
                idMap.put(((Number) ids.get(j)).intValue(), params.get(j));
            }
        }
        Map<Tensor, Map<String, Object>> newState = new IdentityHashMap<>();
        List<Tensor> newOrder = new ArrayList<>();
        GradMode scope = GradMode.noGrad();
        try {
            for (Map.Entry<Object, Map<String, Object>> e : savedState.entrySet()) {
                Tensor param = idMap.get(((Number) e.getKey()).intValue());
                if (param == null) {
                    continue;
                }
                LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                    copy.put(v.getKey(), cast(param, v.getKey(), v.getValue()));
                }
                if (!newState.containsKey(param)) {
                    newOrder.add(param);
                }
                newState.put(param, copy);
            }
        } finally {
            scope.close();
        }
        for (int i = 0; i < saved.size(); i++) {
            LinkedHashMap<String, Object> options = new LinkedHashMap<>(saved.get(i));
            options.remove("params");
            paramGroups.get(i).replaceOptions(options);
        }
        state.clear();
        stateOrder.clear();
        state.putAll(newState);
        stateOrder.addAll(newOrder);
    }

    /** A copy of a saved state value, on the parameter's device and (floating point) dtype; {@code step} is only copied. */
    private static Object cast(Tensor param, String key, Object value) {
        if (!(value instanceof Tensor)) {
            return value;
        }
        Tensor t = ((Tensor) value).detach();
        if (key.equals("step")) {
            return t.clone();
        }
        Tensor converted = Ops.atomically(
                () -> (param.isFloatingPoint() && t.isFloatingPoint() ? t.to(param.dtype()) : t).to(param.device()));
        return converted == value || converted.sharesStorageWith((Tensor) value) ? converted.clone() : converted;
    }

    /** PyTorch's repr: each group's options sorted by name, {@code params} left out. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < paramGroups.size(); i++) {
            sb.append("\nParameter Group ").append(i).append('\n');
            Set<String> keys = new TreeSet<>(paramGroups.get(i).options().keySet());
            for (String k : keys) {
                sb.append("    ")
                        .append(k)
                        .append(": ")
                        .append(PyRepr.of(paramGroups.get(i).options().get(k)))
                        .append('\n');
            }
        }
        return sb.append(')').toString();
    }
}
