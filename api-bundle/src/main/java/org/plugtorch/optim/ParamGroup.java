package org.plugtorch.optim;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;

/**
 * One group of parameters with its own options, a dict of PyTorch's {@code optimizer.param_groups}: {@code lr},
 * {@code momentum}, {@code betas}, ... under PyTorch's names and with PyTorch's default values (an int where PyTorch's
 * default is the int 0, a {@code List<Double>} for {@code betas}, null for {@code None}). Options may be changed
 * between steps, as a learning-rate schedule does: {@code group.set("lr", 0.01)}.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final LinkedHashMap<String, Object> options;

    ParamGroup(List<? extends Tensor> params, Map<String, Object> options) {
        this.params = Collections.unmodifiableList(new ArrayList<>(params));
        this.options = new LinkedHashMap<>(options);
    }

    /** The parameters, in the order given. */
    public List<Tensor> params() {
        return params;
    }

    /** The options in PyTorch's order, without {@code params} (a read-only view). */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    /** An option's value; an unknown name is an error. */
    public Object get(String name) {
        checkArgument(
                options.containsKey(name),
                () -> "parameter group has no option '" + name + "'; it has " + options.keySet());
        return options.get(name);
    }

    /** A numeric option as a double. */
    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    /** Sets an option (a new name is added, as in PyTorch's dict); returns this. */
    public ParamGroup set(String name, Object value) {
        options.put(name, value);
        return this;
    }

    /** The learning rate, {@code get("lr")}. */
    public double lr() {
        return getDouble("lr");
    }

    void replaceOptions(Map<String, Object> newOptions) {
        options.clear();
        options.putAll(newOptions);
    }
}
