package org.plugtorch.nn;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.GradMode;
import org.plugtorch.Tensor;
import org.plugtorch.internal.autograd.InPlace;
import org.plugtorch.internal.runtime.Ops;

/**
 * PyTorch's {@code nn.Module} contract: a module registers <b>parameters</b> (trained, saved, moved),
 * <b>buffers</b> (saved unless non-persistent, moved, never trained) and <b>submodules</b>, and everything else
 * (enumeration, {@link #stateDict}, {@link #loadStateDict}, {@link #to(Device)}) follows from what is registered.
 *
 * <h2>Declaring members in Java</h2>
 * Python registers a member when it is assigned ({@code self.w = nn.Parameter(...)}); Java has no such hook, so a
 * member is registered by a call, which returns what it registered so that a field can hold it:
 * <pre>{@code
 * this.weight = parameter("weight", Tensor.randn(3, 3));     // same as registerParameter("weight", new Parameter(...))
 * this.running = buffer("running", Tensor.zeros(3));          // registerBuffer
 * this.linear = module("linear", new Linear(3, 3));            // registerModule
 * }</pre>
 * A plain {@code Tensor} field is <b>not</b> registered: it is not trained, not saved and not moved, exactly like a
 * plain tensor attribute in PyTorch. A {@code Parameter} or {@code Module} held in a field but never registered is a
 * silent bug in Java, so the first structural call ({@code namedModules}, {@code parameters}, {@code stateDict},
 * {@code to}, ...) checks the fields and logs a warning once per field, naming it.
 *
 * <p>{@link #setAttr} and {@link #getAttr} are the counterparts of Python's attribute assignment and lookup for code
 * that works with names at run time: {@code setAttr} registers a Parameter or Module, updates a buffer, and keeps any
 * other value as a plain (unregistered) attribute, with PyTorch's checks.
 *
 * <h2>Names</h2>
 * Member names are checked as PyTorch checks them, with its messages: not null, no {@code "."}, not empty, and not
 * already an attribute: a member of another kind, a plain attribute, a public method of the module's class
 * ({@code forward}, {@code eval}, {@code stateDict}, ...), {@code training}, or a field of the class that is not a
 * Tensor or Module field (those are how Java code holds registered members). Other names are legal, however unusual:
 * {@code "a b"}, {@code "0"}, {@code "with-dash"}, non-ASCII.
 *
 * <p>A Parameter must be a leaf of the autograd graph: one produced by a recorded operation (for instance a
 * parameter that does not require grad, modified in place with a tensor that does) is refused with PyTorch's
 * {@code Cannot assign non-leaf Tensor to parameter ...}; compute such a value in {@code forward()} instead.
 *
 * <h2>Value checks at run time</h2>
 * The typed overloads ({@code registerParameter(String, Parameter)}, ...) make a wrong kind of value a compile-time
 * error. The {@code Object} overloads exist for values whose type is known only at run time (a map from a
 * configuration, another JVM language); they check the value as PyTorch does and fail with its message, for
 * instance {@code cannot assign 'org.plugtorch.Tensor' object to parameter 'w' (org.plugtorch.nn.Parameter or null
 * required)}.
 *
 * <h2>Moves keep identity</h2>
 * {@link #to(Device)} and {@link #to(DType)} re-point every registered tensor at new storage: afterwards each slot
 * holds the same Java object as before (so fields stay valid and an optimizer built before the move keeps working),
 * gradients move with their parameters, and tied weights stay tied. A move is all or nothing: the new storage for
 * every tensor is made first, and only then are the tensors re-pointed.
 *
 * <p>Modules are not thread-safe for structural changes, as in PyTorch.
 */
public class Module {
    private static final System.Logger LOG = System.getLogger(Module.class.getName());

    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistentBuffers = new LinkedHashSet<>();
    private final LinkedHashMap<String, Module> modules = new LinkedHashMap<>();
    private final LinkedHashMap<String, Object> plainAttributes = new LinkedHashMap<>();
    private boolean training = true;
    private boolean fieldsChecked;

    // =====================================================================================================
    // Registration
    // =====================================================================================================

    /**
     * Registers (or, under a name it already has, replaces in place) a parameter; {@code null} makes an empty slot
     * that every walk skips. Returns the parameter.
     */
    public Parameter registerParameter(String name, Parameter param) {
        return (Parameter) registerParameter(name, (Object) param);
    }

    /** Registers a value whose type is known only at run time; it must be a {@link Parameter} or null. */
    public Object registerParameter(String name, Object param) {
        checkName("parameter", name);
        checkFree(name, parameters);
        checkArgument(
                param == null || param instanceof Parameter,
                () -> "cannot assign '" + typeName(param) + "' object to parameter '" + name + "' ("
                        + Parameter.class.getName() + " or null required)");
        checkArgument(
                param == null || ((Parameter) param).isLeaf(),
                () -> "Cannot assign non-leaf Tensor to parameter '" + name + "'. Model "
                        + "parameters must be created explicitly. To express '" + name + "' as a function of another "
                        + "Tensor, compute the value in the forward() method.");
        parameters.put(name, (Parameter) param);
        return param;
    }

    /** Registers a persistent buffer (saved in the state dict); {@code null} makes an empty slot. Returns the tensor. */
    public Tensor registerBuffer(String name, Tensor tensor) {
        return registerBuffer(name, tensor, true);
    }

    /**
     * Registers a buffer: moved with the module, never trained, and saved in the state dict only when
     * {@code persistent}. Returns the tensor.
     */
    public Tensor registerBuffer(String name, Tensor tensor, boolean persistent) {
        return (Tensor) registerBuffer(name, (Object) tensor, persistent);
    }

    /** Registers a value whose type is known only at run time; it must be a {@link Tensor} or null. */
    public Object registerBuffer(String name, Object tensor, boolean persistent) {
        checkName("buffer", name);
        checkFree(name, buffers);
        checkArgument(
                tensor == null || tensor instanceof Tensor,
                () -> "cannot assign '" + typeName(tensor) + "' object to buffer '" + name + "' ("
                        + Tensor.class.getName() + " or null required)");
        buffers.put(name, (Tensor) tensor);
        if (persistent) {
            nonPersistentBuffers.remove(name);
        } else {
            nonPersistentBuffers.add(name);
        }
        return tensor;
    }

    /** Registers (or replaces in place) a submodule; {@code null} makes an empty slot. Returns the module. */
    public <M extends Module> M registerModule(String name, M module) {
        registerModule(name, (Object) module);
        return module;
    }

    /** Registers a value whose type is known only at run time; it must be a {@link Module} or null. */
    public Object registerModule(String name, Object module) {
        checkName("module", name);
        checkFree(name, modules);
        checkArgument(module == null || module instanceof Module, () -> typeName(module) + " is not a Module subclass");
        modules.put(name, (Module) module);
        return module;
    }

    /** PyTorch's {@code add_module}: the same as {@link #registerModule(String, Module)}. */
    public <M extends Module> M addModule(String name, M module) {
        return registerModule(name, module);
    }

    /** The declarative form: registers {@code init} as a parameter (wrapping it unless it is one) and returns it. */
    protected final Parameter parameter(String name, Tensor init) {
        return registerParameter(name, init instanceof Parameter ? (Parameter) init : new Parameter(init));
    }

    /** The declarative form of {@link #registerBuffer(String, Tensor)}. */
    protected final Tensor buffer(String name, Tensor tensor) {
        return registerBuffer(name, tensor, true);
    }

    /** The declarative form of {@link #registerBuffer(String, Tensor, boolean)}. */
    protected final Tensor buffer(String name, Tensor tensor, boolean persistent) {
        return registerBuffer(name, tensor, persistent);
    }

    /** The declarative form of {@link #registerModule(String, Module)}. */
    protected final <M extends Module> M module(String name, M module) {
        return registerModule(name, module);
    }

    private static void checkName(String kind, String name) {
        checkArgument(name != null, () -> kind + " name should be a string. Got null");
        checkArgument(
                !name.contains("."),
                () -> kind.equals("module")
                        ? "module name can't contain \".\", got: " + name
                        : kind + " name can't contain \".\"");
        checkArgument(!name.isEmpty(), () -> kind + " name can't be empty string \"\"");
    }

    /** PyTorch's {@code hasattr(self, name) and name not in <own kind>}. */
    private void checkFree(String name, Map<String, ?> ownKind) {
        if (ownKind.containsKey(name)) {
            return;
        }
        if (parameters.containsKey(name)
                || buffers.containsKey(name)
                || modules.containsKey(name)
                || plainAttributes.containsKey(name)
                || ClassMembers.of(getClass()).contains(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
    }

    /** The name of a value's type as error texts print it ({@code java.util.ArrayList}). */
    static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    // =====================================================================================================
    // Dynamic attributes (Python's __setattr__, __getattr__, __delattr__)
    // =====================================================================================================

    /**
     * Python's {@code module.name = value}: a Parameter registers as a parameter and a Module as a submodule (each
     * first leaving any other kind of member of that name); a Tensor or null under the name of a buffer updates the
     * buffer; null under the name of a parameter or submodule empties its slot; anything else is kept as a plain
     * attribute, which is not registered (not trained, saved or moved).
     */
    public void setAttr(String name, Object value) {
        checkArgument(name != null, "attribute name must be string, not 'null'");
        if (value instanceof Parameter) {
            removeMember(name, false, true, true);
            registerParameter(name, value);
        } else if (parameters.containsKey(name)) {
            checkArgument(
                    value == null,
                    () -> "cannot assign '" + typeName(value) + "' as parameter '" + name + "' ("
                            + Parameter.class.getName() + " or null expected)");
            parameters.put(name, null);
        } else if (value instanceof Module) {
            removeMember(name, true, true, false);
            registerModule(name, value);
        } else if (modules.containsKey(name)) {
            checkArgument(
                    value == null,
                    () -> "cannot assign '" + typeName(value) + "' as child module '" + name + "' ("
                            + Module.class.getName() + " or null expected)");
            modules.put(name, null);
        } else if (buffers.containsKey(name)) {
            checkArgument(
                    value == null || value instanceof Tensor,
                    () -> "cannot assign '" + typeName(value) + "' as buffer '" + name + "' (" + Tensor.class.getName()
                            + " or null expected)");
            buffers.put(name, (Tensor) value);
        } else {
            checkArgument(!ClassMembers.of(getClass()).contains(name), () -> "attribute '" + name + "' already exists");
            plainAttributes.put(name, value);
        }
    }

    private void removeMember(String name, boolean params, boolean bufs, boolean mods) {
        plainAttributes.remove(name);
        if (params) {
            parameters.remove(name);
        }
        if (bufs) {
            buffers.remove(name);
            nonPersistentBuffers.remove(name);
        }
        if (mods) {
            modules.remove(name);
        }
    }

    /** Python's {@code module.name}: a parameter, buffer, submodule or plain attribute (possibly null). */
    public Object getAttr(String name) {
        // a slot may hold null (a layer without bias), so a null answer is confirmed by containsKey
        Parameter p = parameters.get(name);
        if (p != null || parameters.containsKey(name)) {
            return p;
        }
        Tensor b = buffers.get(name);
        if (b != null || buffers.containsKey(name)) {
            return b;
        }
        Module m = modules.get(name);
        if (m != null || modules.containsKey(name)) {
            return m;
        }
        if (plainAttributes.containsKey(name)) {
            return plainAttributes.get(name);
        }
        throw new IllegalArgumentException("'" + typeDisplayName() + "' object has no attribute '" + name + "'");
    }

    /** Python's {@code del module.name}. */
    public void delAttr(String name) {
        if (!parameters.containsKey(name)
                && !buffers.containsKey(name)
                && !modules.containsKey(name)
                && !plainAttributes.containsKey(name)) {
            throw new IllegalArgumentException("'" + typeDisplayName() + "' object has no attribute '" + name + "'");
        }
        removeMember(name, true, true, true);
    }

    // =====================================================================================================
    // Lookup by dotted path
    // =====================================================================================================

    /** The submodule at a dotted path ({@code "encoder.layers.0"}); the empty path is this module. */
    public Module getSubmodule(String target) {
        if (target.isEmpty()) {
            return this;
        }
        Module m = this;
        for (String item : target.split("\\.", -1)) {
            if (!m.modules.containsKey(item)
                    && !m.parameters.containsKey(item)
                    && !m.buffers.containsKey(item)
                    && !m.plainAttributes.containsKey(item)) {
                throw new IllegalArgumentException(m.typeDisplayName() + " has no attribute `" + item + "`");
            }
            Module next = m.modules.get(item);
            checkArgument(next != null, () -> "`" + item + "` is not an nn.Module");
            m = next;
        }
        return m;
    }

    /** The parameter at a dotted path ({@code "linear.weight"}). */
    public Parameter getParameter(String target) {
        int dot = target.lastIndexOf('.');
        Module owner = dot < 0 ? this : getSubmodule(target.substring(0, dot));
        String name = dot < 0 ? target : target.substring(dot + 1);
        Parameter found = owner.parameters.get(name);
        if (found != null) {
            return found;
        }
        if (!owner.parameters.containsKey(name)
                && !owner.buffers.containsKey(name)
                && !owner.modules.containsKey(name)
                && !owner.plainAttributes.containsKey(name)) {
            throw new IllegalArgumentException(owner.typeDisplayName() + " has no attribute `" + name + "`");
        }
        Parameter p = owner.parameters.get(name);
        checkArgument(p != null, () -> "`" + name + "` is not an nn.Parameter");
        return p;
    }

    /** The buffer at a dotted path ({@code "bn.running_mean"}). */
    public Tensor getBuffer(String target) {
        int dot = target.lastIndexOf('.');
        Module owner = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!owner.buffers.containsKey(name)) {
            if (owner.parameters.containsKey(name)
                    || owner.modules.containsKey(name)
                    || owner.plainAttributes.containsKey(name)) {
                throw new IllegalArgumentException("`" + name + "` is not a buffer");
            }
            throw new IllegalArgumentException(owner.typeDisplayName() + " has no attribute `" + name + "`");
        }
        return owner.buffers.get(name);
    }

    // =====================================================================================================
    // Enumeration
    // =====================================================================================================

    /** Every module of the tree in pre-order (this one first, under {@code ""}), each reachable module once. */
    public final Map<String, Module> namedModules() {
        return namedModules("", true);
    }

    /**
     * Every module of the tree in pre-order under {@code prefix}; with {@code removeDuplicate == false} a module
     * reachable along several paths is listed under each.
     */
    public final Map<String, Module> namedModules(String prefix, boolean removeDuplicate) {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules(Collections.newSetFromMap(new IdentityHashMap<>()), prefix, removeDuplicate, out);
        warnAboutUnregisteredFields(out.values());
        return Collections.unmodifiableMap(out);
    }

    private void collectModules(Set<Module> memo, String prefix, boolean removeDuplicate, Map<String, Module> out) {
        if (memo.contains(this)) {
            return;
        }
        if (removeDuplicate) {
            memo.add(this);
        }
        out.put(prefix, this);
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            if (e.getValue() != null) {
                e.getValue().collectModules(memo, join(prefix, e.getKey()), removeDuplicate, out);
            }
        }
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** The modules of {@link #namedModules()}, this one first. */
    public final List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** The direct, non-null submodules in registration order, each once. */
    public final Map<String, Module> namedChildren() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        Set<Module> memo = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            if (e.getValue() != null && memo.add(e.getValue())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The names of every submodule slot, empty ones included, in registration order (for the containers). */
    final List<String> moduleSlots() {
        return new ArrayList<>(modules.keySet());
    }

    public final List<Module> children() {
        return new ArrayList<>(namedChildren().values());
    }

    /** {@code namedParameters("", true, true)}. */
    public final Map<String, Parameter> namedParameters() {
        return namedParameters("", true, true);
    }

    /**
     * For each module of the tree in {@link #namedModules} order (or only this one when {@code !recurse}), its own
     * non-null parameters in registration order, named by their path. A parameter reachable under several names
     * (tied weights) is listed once, under the first, unless {@code removeDuplicate == false}.
     */
    public final Map<String, Parameter> namedParameters(String prefix, boolean recurse, boolean removeDuplicate) {
        return namedMembers(prefix, recurse, removeDuplicate, m -> m.parameters);
    }

    /** The parameters of {@link #namedParameters()}. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public final List<Parameter> parameters(boolean recurse) {
        return new ArrayList<>(namedParameters("", recurse, true).values());
    }

    /** {@code namedBuffers("", true, true)}: persistent and non-persistent buffers alike. */
    public final Map<String, Tensor> namedBuffers() {
        return namedBuffers("", true, true);
    }

    public final Map<String, Tensor> namedBuffers(String prefix, boolean recurse, boolean removeDuplicate) {
        return namedMembers(prefix, recurse, removeDuplicate, m -> m.buffers);
    }

    public final List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    public final List<Tensor> buffers(boolean recurse) {
        return new ArrayList<>(namedBuffers("", recurse, true).values());
    }

    private interface Members<T> {
        Map<String, T> of(Module m);
    }

    private <T> Map<String, T> namedMembers(
            String prefix, boolean recurse, boolean removeDuplicate, Members<T> members) {
        Map<String, Module> tree = namedModules(prefix, removeDuplicate);
        Map<String, Module> walk = recurse ? tree : Map.of(prefix, this);
        Set<Object> memo = Collections.newSetFromMap(new IdentityHashMap<>());
        LinkedHashMap<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> m : walk.entrySet()) {
            for (Map.Entry<String, T> e : members.of(m.getValue()).entrySet()) {
                T v = e.getValue();
                if (v == null || memo.contains(v)) {
                    continue;
                }
                if (removeDuplicate) {
                    memo.add(v);
                }
                out.put(join(m.getKey(), e.getKey()), v);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    // =====================================================================================================
    // State dict
    // =====================================================================================================

    /** {@code stateDict("", false)}. */
    public final LinkedHashMap<String, Tensor> stateDict() {
        return stateDict("", false);
    }

    /**
     * Per module, its own non-null parameters in registration order, then its own non-null persistent buffers, then
     * each child's entries under {@code child.}; tied tensors appear under every key. Values are detached tensors that
     * share storage with the module's (copy them for a snapshot); {@code keepVars} returns the Parameter and buffer
     * objects themselves. Integer buffers keep their dtype.
     */
    public final LinkedHashMap<String, Tensor> stateDict(String prefix, boolean keepVars) {
        warnAboutUnregisteredFields(namedModules().values());
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        saveTo(out, prefix, keepVars);
        return out;
    }

    private void saveTo(Map<String, Tensor> out, String prefix, boolean keepVars) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            if (e.getValue() != null) {
                out.put(
                        prefix + e.getKey(),
                        keepVars ? e.getValue() : e.getValue().detach());
            }
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            if (e.getValue() != null && !nonPersistentBuffers.contains(e.getKey())) {
                out.put(
                        prefix + e.getKey(),
                        keepVars ? e.getValue() : e.getValue().detach());
            }
        }
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            if (e.getValue() != null) {
                e.getValue().saveTo(out, prefix + e.getKey() + ".", keepVars);
            }
        }
    }

    /** {@code loadStateDict(stateDict, true)}. */
    public final IncompatibleKeys loadStateDict(Map<String, ? extends Tensor> stateDict) {
        return loadStateDict(stateDict, true);
    }

    /**
     * Copies every matching entry <b>in place</b> into the existing tensor (same object, same storage, the
     * module's dtype and device; values may come from any device and dtype). With {@code strict}, missing and
     * unexpected keys are errors; without, they are returned. A shape mismatch is always an error.
     *
     * <p>Every problem is reported in one exception, in PyTorch's layout ({@code Error(s) in loading state_dict for
     * Net:} then one tab-indented line each: missing keys, unexpected keys, then per-key errors in traversal order).
     * Better than PyTorch, which copies the matching keys before it raises: all checks run before any copy, so a
     * load that fails leaves the module exactly as it was.
     */
    public final IncompatibleKeys loadStateDict(Map<String, ? extends Tensor> stateDict, boolean strict) {
        checkArgument(stateDict != null, "Expected state_dict to be dict-like, got null.");
        return load(new LinkedHashMap<String, Object>(stateDict), strict);
    }

    /**
     * {@link #loadStateDict(Map, boolean)} for a state dict whose values are read on demand (a checkpoint file,
     * tensor by tensor, straight to each target's device, without holding the whole state dict in memory).
     * {@code shapes} gives each key's shape; after every check has passed, {@code copier.accept(key, target)} is
     * called once per matching key and must copy that entry's values into {@code target} in place (when target is
     * zero-dimensional and the entry one-dimensional, its first element, as PyTorch loads 1-element vectors into
     * scalars). Same keys, errors and texts as the map form; a load that fails a check copies nothing.
     */
    public final IncompatibleKeys loadStateDict(
            Map<String, long[]> shapes, BiConsumer<String, Tensor> copier, boolean strict) {
        checkArgument(shapes != null && copier != null, "Expected state_dict to be dict-like, got null.");
        LinkedHashMap<String, Object> streamed = new LinkedHashMap<>();
        shapes.forEach((key, shape) ->
                streamed.put(key, shape == null ? null : new StreamedValue(shape.clone(), t -> copier.accept(key, t))));
        return load(streamed, strict);
    }

    /** A state-dict value known by its shape, whose values are copied into the target only when loading. */
    private static final class StreamedValue {
        final long[] shape;
        final Consumer<Tensor> copyInto;

        StreamedValue(long[] shape, Consumer<Tensor> copyInto) {
            this.shape = shape;
            this.copyInto = copyInto;
        }
    }

    private IncompatibleKeys load(LinkedHashMap<String, Object> stateDict, boolean strict) {
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Runnable> copies = new ArrayList<>();
        planLoad(stateDict, "", missing, unexpected, errors, copies);
        if (strict) {
            if (!unexpected.isEmpty()) {
                errors.add(0, "Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
            }
            if (!missing.isEmpty()) {
                errors.add(0, "Missing key(s) in state_dict: " + quoted(missing) + ". ");
            }
        }
        checkArgument(
                errors.isEmpty(),
                () -> "Error(s) in loading state_dict for " + typeDisplayName() + ":\n\t"
                        + String.join("\n\t", errors));
        GradMode scope = GradMode.noGrad();
        try {
            copies.forEach(Runnable::run);
        } finally {
            scope.close();
        }
        return new IncompatibleKeys(missing, unexpected);
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            sb.append(sb.length() == 0 ? "" : ", ").append('"').append(k).append('"');
        }
        return sb.toString();
    }

    /**
     * PyTorch's {@code _load_from_state_dict}, recursively, collecting copies instead of making them. Every check a
     * copy would make is made here, so that a load that fails copies nothing: shapes, and what {@code copy_} refuses
     * (a target whose elements overlap, such as an expanded buffer; a value that partly overlaps its target), reported
     * as PyTorch reports an exception from {@code copy_}. The keys below this module are split among its children in
     * one pass, so a module of many children costs what its keys cost, not keys times children.
     */
    private void planLoad(
            Map<String, Object> stateDict,
            String prefix,
            List<String> missing,
            List<String> unexpected,
            List<String> errors,
            List<Runnable> copies) {
        LinkedHashMap<String, Tensor> local = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (v != null) {
                local.put(k, v);
            }
        });
        buffers.forEach((k, v) -> {
            if (v != null && !nonPersistentBuffers.contains(k)) {
                local.put(k, v);
            }
        });
        for (Map.Entry<String, Tensor> e : local.entrySet()) {
            String key = prefix + e.getKey();
            Tensor target = e.getValue();
            if (!stateDict.containsKey(key)) {
                missing.add(key);
                continue;
            }
            Object value = stateDict.get(key);
            if (value instanceof StreamedValue) {
                StreamedValue streamed = (StreamedValue) value;
                long[] shape = target.dim() == 0 && streamed.shape.length == 1 && streamed.shape[0] > 0
                        ? new long[0]
                        : streamed.shape;
                if (!java.util.Arrays.equals(shape, target.shape())) {
                    errors.add("size mismatch for " + key + ": copying a param with shape " + torchSize(streamed.shape)
                            + " from checkpoint, the shape in current model is " + torchSize(target.shape()) + ".");
                    continue;
                }
                String refused = InPlace.refusal(target, null);
                if (refused != null) {
                    errors.add(copyError(key, target, streamed.shape, refused));
                    continue;
                }
                copies.add(() -> streamed.copyInto.accept(target));
                continue;
            }
            if (!(value instanceof Tensor)) {
                errors.add("While copying the parameter named \"" + key + "\", expected Tensor or Tensor-like object "
                        + "from checkpoint but received " + typeName(value));
                continue;
            }
            Tensor input = (Tensor) value;
            if (target.dim() == 0 && input.dim() == 1) {
                input = input.get(0); // PyTorch loads 0.3-era 1-element vectors into scalars
            }
            if (!java.util.Arrays.equals(input.shape(), target.shape())) {
                errors.add("size mismatch for " + key + ": copying a param with shape " + torchSize(input.shape())
                        + " from checkpoint, the shape in current model is " + torchSize(target.shape()) + ".");
                continue;
            }
            String refused = InPlace.refusal(target, input);
            if (refused != null) {
                errors.add(copyError(key, target, input.shape(), refused));
                continue;
            }
            Tensor source = input;
            copies.add(() -> target.copy_(source));
        }
        // one pass over the keys: those of no member are unexpected, those under a child go to it
        LinkedHashMap<String, LinkedHashMap<String, Object>> byChild = new LinkedHashMap<>();
        int start = prefix.length();
        for (Map.Entry<String, Object> e : stateDict.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                continue;
            }
            int dot = key.indexOf('.', start);
            String name = key.substring(start, dot < 0 ? key.length() : dot);
            boolean child = modules.containsKey(name);
            if (!child && !local.containsKey(name)) {
                unexpected.add(key);
            } else if (child && dot >= 0) {
                byChild.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(key, e.getValue());
            }
        }
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            if (e.getValue() != null) {
                String childPrefix = prefix + e.getKey() + ".";
                LinkedHashMap<String, Object> childState = byChild.getOrDefault(e.getKey(), new LinkedHashMap<>());
                e.getValue().planLoad(childState, childPrefix, missing, unexpected, errors, copies);
            }
        }
    }

    /** PyTorch's line for an exception that {@code param.copy_(input_param)} raised while loading. */
    private static String copyError(String key, Tensor target, long[] inputShape, String exception) {
        return "While copying the parameter named \"" + key + "\", whose dimensions in the model are "
                + torchSize(target.shape()) + " and whose dimensions in the checkpoint are " + torchSize(inputShape)
                + ", an exception occurred : ('" + exception + "',).";
    }

    static String torchSize(long[] shape) {
        StringBuilder sb = new StringBuilder("torch.Size([");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append("])").toString();
    }

    // =====================================================================================================
    // Moves
    // =====================================================================================================

    /** Moves every parameter (with its gradient) and buffer to {@code device}, keeping identity; returns this. */
    public Module to(Device device) {
        return convert(t -> t.to(device));
    }

    /** {@code to(Device.parse(device))}. */
    public Module to(String device) {
        return to(Device.parse(device));
    }

    /** Converts floating-point parameters, gradients and buffers to {@code dtype}; integer ones are left alone. */
    public Module to(DType dtype) {
        checkArgument(
                dtype.isFloatingPoint(),
                () -> "nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=" + dtype);
        return convert(t -> t.isFloatingPoint() ? t.to(dtype) : t);
    }

    public Module to(Device device, DType dtype) {
        checkArgument(
                dtype.isFloatingPoint(),
                () -> "nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=" + dtype);
        return convert(t -> (t.isFloatingPoint() ? t.to(dtype) : t).to(device));
    }

    public Module cpu() {
        return to(Device.CPU);
    }

    /** {@code to("cuda:0")}. */
    public Module cuda() {
        return to(Device.of("cuda", 0));
    }

    /** PyTorch's {@code float()}: floating-point state to float32. */
    public Module toFloat() {
        return to(DType.FLOAT32);
    }

    /** PyTorch's {@code double()}: floating-point state to float64. */
    public Module toDouble() {
        return to(DType.FLOAT64);
    }

    private interface Conversion {
        Tensor apply(Tensor t);
    }

    /**
     * PyTorch's {@code _apply}: children first, then own parameters (and their grads), then own buffers; but in two
     * phases, so that a failure (no such device, out of memory) changes nothing.
     */
    private Module convert(Conversion fn) {
        warnAboutUnregisteredFields(namedModules().values());
        Map<Tensor, Tensor> converted = new IdentityHashMap<>();
        List<Tensor> order = new ArrayList<>();
        // one step under the gate: a backend that left and another that came between two tensors' copies would
        // otherwise split the module between the CPU (where the first copies were evacuated) and the newcomer
        Ops.atomically(() -> {
            GradMode scope = GradMode.noGrad();
            try {
                collectConversions(fn, converted, order, Collections.newSetFromMap(new IdentityHashMap<>()));
            } finally {
                scope.close();
            }
            for (Tensor t : order) {
                Tensor n = converted.get(t);
                if (n != t) {
                    t.setData(n);
                }
            }
            return null;
        });
        return this;
    }

    private void collectConversions(
            Conversion fn, Map<Tensor, Tensor> converted, List<Tensor> order, Set<Module> seen) {
        if (!seen.add(this)) {
            return;
        }
        for (Module child : children()) {
            child.collectConversions(fn, converted, order, seen);
        }
        for (Parameter p : parameters.values()) {
            if (p != null) {
                plan(fn, p, converted, order);
                if (p.grad() != null) {
                    plan(fn, p.grad(), converted, order);
                }
            }
        }
        for (Tensor b : buffers.values()) {
            if (b != null) {
                plan(fn, b, converted, order);
            }
        }
    }

    private static void plan(Conversion fn, Tensor t, Map<Tensor, Tensor> converted, List<Tensor> order) {
        if (!converted.containsKey(t)) {
            converted.put(t, fn.apply(t));
            order.add(t);
        }
    }

    // =====================================================================================================
    // Modes and gradients
    // =====================================================================================================

    /** Sets training mode on this module and every descendant; returns this. */
    public Module train(boolean mode) {
        for (Module m : modules()) {
            m.training = mode;
        }
        return this;
    }

    public Module train() {
        return train(true);
    }

    /** {@code train(false)}. */
    public Module eval() {
        return train(false);
    }

    /** PyTorch's {@code module.training}. */
    public boolean isTraining() {
        return training;
    }

    /** Sets {@code requiresGrad} on every parameter (buffers are untouched); returns this. */
    public Module requiresGrad_(boolean requiresGrad) {
        for (Parameter p : parameters()) {
            p.requiresGrad_(requiresGrad);
        }
        return this;
    }

    /** Sets every parameter's gradient to null (PyTorch's default, {@code set_to_none=True}). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** With {@code setToNone == false}, zeroes existing gradients in place instead. */
    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
            if (p.grad() != null) {
                if (setToNone) {
                    p.setGrad(null);
                } else {
                    p.grad().zero_();
                }
            }
        }
    }

    /** Calls {@code fn} on every child (recursively, children first) and then on this module; returns this. */
    public Module apply(Consumer<Module> fn) {
        for (Module child : children()) {
            child.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    // =====================================================================================================
    // Forward and printing
    // =====================================================================================================

    /** The computation; modules that have one override this. */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(
                "Module [" + typeDisplayName() + "] is missing the required \"forward\" function");
    }

    /** The configuration a leaf layer prints inside its parentheses ({@code in_features=3, out_features=3, bias=True}). */
    public String extraRepr() {
        return "";
    }

    /** PyTorch's repr: the extra repr, then each child indented by two spaces. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        List<String> extraLines = extra.isEmpty() ? List.of() : List.of(extra.split("\n", -1));
        lines.addAll(extraLines);
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String child = e.getValue() == null ? "None" : e.getValue().toString();
            lines.add("(" + e.getKey() + "): " + indent(child));
        }
        StringBuilder sb = new StringBuilder(typeDisplayName()).append('(');
        if (!lines.isEmpty()) {
            if (extraLines.size() == 1 && lines.size() == 1) {
                sb.append(extraLines.get(0));
            } else {
                sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
            }
        }
        return sb.append(')').toString();
    }

    private static String indent(String s) {
        return s.replace("\n", "\n  ");
    }

    /** The class name a PyTorch user would see ({@code Linear}, {@code TestModel}). */
    String typeDisplayName() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }

    // =====================================================================================================
    // Unregistered fields
    // =====================================================================================================

    private static void warnAboutUnregisteredFields(Iterable<Module> tree) {
        List<Module> unchecked = new ArrayList<>();
        for (Module m : tree) {
            if (!m.fieldsChecked) {
                unchecked.add(m);
            }
        }
        if (unchecked.isEmpty()) {
            return;
        }
        Set<Object> registered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Module m : tree) {
            registered.add(m);
            registered.addAll(m.parameters.values());
            registered.addAll(m.modules.values());
        }
        for (Module m : unchecked) {
            m.fieldsChecked = true;
            for (String problem : UnregisteredFields.find(m, registered)) {
                if (UnregisteredFields.firstReport(problem)) {
                    LOG.log(System.Logger.Level.WARNING, problem);
                }
            }
        }
    }
}
