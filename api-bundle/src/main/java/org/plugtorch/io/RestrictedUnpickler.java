package org.plugtorch.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/**
 * An unpickler for torch.save's {@code data.pkl} that follows PyTorch's {@code weights_only} unpickler: plain data
 * (None, bools, ints, floats, strings, bytes, tuples, lists, dicts) plus the {@link TorchGlobal} allow-list, and
 * nothing else. A global outside the list is refused by name when it is read; nothing from the file is ever looked
 * up, instantiated or run.
 *
 * <p>Hand-written rather than built on Razorvine's {@code net.razorvine:pickle}: that library resolves unknown
 * globals to dictionaries instead of refusing them, allocates strings of whatever length a file declares (a 7-byte
 * pickle exhausts the heap), hashes self-referencing lists into a StackOverflowError, lets casts fail as
 * ClassCastException, and keeps its constructor registry in a static map shared by the whole JVM. Making it safe
 * would mean replacing most of its opcodes; PyTorch itself wrote its own restricted unpickler for the same reasons.
 *
 * <p>Resources are bounded by the input: every opcode makes at most one new object, every length is checked against
 * the bytes left before anything is allocated, tuples nest at most {@link #MAX_DEPTH} deep, only hashable values
 * become dict keys, and the unpickler never recurses. Work per opcode is bounded too, whatever objects the memo lets
 * an opcode reach again for a byte or two: hashable values are made {@link Canonical} when they are read, so that
 * dict keys and tuples compare by identity (no hashing or comparing of deep or long values), a tuple knows its depth
 * and hashability from its items, and BUILD keeps its state by reference. The stack, marks and memo hold references
 * in plain arrays, so a pickle of one-byte opcodes costs a few bytes of heap for each byte, plus the one object an
 * opcode such as EMPTY_DICT makes.
 */
final class RestrictedUnpickler {
    static final int MAX_DEPTH = 100;
    /** The longest integer accepted, in bytes; checkpoints hold nothing near it, and longer ones cost quadratic time. */
    private static final int MAX_INTEGER_BYTES = 1024;

    private static final int MAX_LINE = 4096;

    /** An error at a byte of the pickle. */
    static final class UnpicklingException extends Exception {
        private static final long serialVersionUID = 1L;
        final long position;

        UnpicklingException(String message, long position) {
            super(message);
            this.position = position;
        }
    }

    /** Resolves a persistent id (torch.save's storage references). */
    interface PersistentLoader {
        Object load(Object pid, long position) throws UnpicklingException;
    }

    /** Turns a validated rebuild call into a tensor record. */
    interface TensorRebuilder {
        Object rebuild(TorchGlobal function, PyTuple args, long position) throws UnpicklingException;
    }

    private static final Set<Integer> REFUSED = Set.of(
            0x50 /* PERSID */,
            0x69 /* INST */,
            0x6f /* OBJ */,
            0x81 /* NEWOBJ */,
            0x82,
            0x83,
            0x84 /* EXT */,
            0x92 /* NEWOBJ_EX */,
            0x97 /* NEXT_BUFFER */);

    private final ByteBuffer in;
    private final PersistentLoader persistentLoader;
    private final TensorRebuilder rebuilder;
    private final Canonical canonical = new Canonical();
    private final ArrayList<Object> stack = new ArrayList<>();
    /** The stack sizes at the open MARKs, innermost last. */
    private int[] marks = new int[16];

    private int markCount;
    private final Memo memo = new Memo();
    private int pos;
    private int op;

    private RestrictedUnpickler(ByteBuffer in, PersistentLoader persistentLoader, TensorRebuilder rebuilder) {
        this.in = in.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        this.persistentLoader = persistentLoader;
        this.rebuilder = rebuilder;
    }

    /** The object the pickle in {@code in} (positioned at 0) describes. */
    static Object load(ByteBuffer in, PersistentLoader persistentLoader, TensorRebuilder rebuilder)
            throws UnpicklingException {
        return new RestrictedUnpickler(in, persistentLoader, rebuilder).run();
    }

    private UnpicklingException error(String message) {
        return new UnpicklingException(message, op);
    }

    private Object run() throws UnpicklingException {
        while (true) {
            op = pos;
            if (pos >= in.limit()) {
                throw new UnpicklingException("the pickle ends without a STOP opcode", pos);
            }
            int code = in.get(pos++) & 0xff;
            if (code == '.') {
                if (stack.size() != 1 || markCount != 0) {
                    throw error("STOP with " + stack.size() + " objects on the stack and " + markCount
                            + " open marks, not one object");
                }
                return stack.get(0);
            }
            step(code);
        }
    }

    private void step(int code) throws UnpicklingException {
        switch (code) {
            case 0x80:
                proto();
                break;
            case 0x95:
                frame();
                break;
            case '(':
                mark();
                break;
            case '0':
                popOrMark();
                break;
            case '1':
                popMark();
                break;
            case '2':
                push(peek());
                break;
            case 'N':
                push(null);
                break;
            case 0x88:
                push(Boolean.TRUE);
                break;
            case 0x89:
                push(Boolean.FALSE);
                break;
            case 'K':
                push(canonical.of(u8()));
                break;
            case 'M':
                push(canonical.of(u8() | u8() << 8));
                break;
            case 'J':
                push(canonical.of(s32()));
                break;
            case 0x8a:
                push(littleEndianInteger(u8()));
                break;
            case 0x8b:
                push(littleEndianInteger(length(s32(), "LONG4")));
                break;
            case 'I':
                push(textInt());
                break;
            case 'L':
                push(textLong());
                break;
            case 'G':
                push(canonical.of(Double.longBitsToDouble(bigEndianLong())));
                break;
            case 'X':
                push(utf8(length(s32u(), "BINUNICODE")));
                break;
            case 0x8c:
                push(utf8(u8()));
                break;
            case 0x8d:
                push(utf8(length(u64(), "BINUNICODE8")));
                break;
            case 'C':
                push(bytes(u8()));
                break;
            case 'B':
                push(bytes(length(s32u(), "BINBYTES")));
                break;
            case 0x8e:
                push(bytes(length(u64(), "BINBYTES8")));
                break;
            case 0x96:
                push(bytes(length(u64(), "BYTEARRAY8")));
                break;
            case 0x98:
                peek();
                break;
            case ')':
                push(PyTuple.EMPTY);
                break;
            case 0x85:
                tupleOf(1);
                break;
            case 0x86:
                tupleOf(2);
                break;
            case 0x87:
                tupleOf(3);
                break;
            case 't':
                push(tuple(popMark().toArray()));
                break;
            case ']':
                push(new PyList());
                break;
            case 'l':
                push(new PyList(popMark()));
                break;
            case 'a':
                append(pop());
                break;
            case 'e':
                appendAll(popMark());
                break;
            case '}':
                push(new PyDict());
                break;
            case 'd':
                dict();
                break;
            case 's':
                setItem();
                break;
            case 'u':
                setItems(popMark());
                break;
            case 'q':
                memo.put(u8(), peek());
                break;
            case 'r':
                memo.put(s32u(), peek());
                break;
            case 0x94:
                memo.put(memo.size(), peek());
                break;
            case 'h':
                push(memoGet(u8()));
                break;
            case 'j':
                push(memoGet(s32u()));
                break;
            case 'c':
                global(line("GLOBAL module"), line("GLOBAL name"));
                break;
            case 0x93:
                stackGlobal();
                break;
            case 'Q':
                push(persistentLoader.load(pop(), op));
                break;
            case 'R':
                reduce();
                break;
            case 'b':
                build();
                break;
            default:
                throw error(
                        REFUSED.contains(code)
                                ? "opcode " + opcodeName(code)
                                        + " is not allowed: it builds objects outside the allow-list (weights_only)"
                                : "opcode " + opcodeName(code) + " is not supported in a torch.save pickle");
        }
    }

    private static String opcodeName(int code) {
        String printable = code >= 0x20 && code < 0x7f ? " '" + (char) code + "'" : "";
        String[] names = {"PERSID", "INST", "OBJ", "NEWOBJ", "EXT1", "EXT2", "EXT4", "NEWOBJ_EX", "NEXT_BUFFER"};
        int[] codes = {0x50, 0x69, 0x6f, 0x81, 0x82, 0x83, 0x84, 0x92, 0x97};
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == code) {
                return names[i] + String.format(" (0x%02x)", code);
            }
        }
        return String.format("0x%02x", code) + printable;
    }

    // ---- reading the input ----

    private int u8() throws UnpicklingException {
        need(1);
        return in.get(pos++) & 0xff;
    }

    private int s32() throws UnpicklingException {
        need(4);
        int v = in.getInt(pos);
        pos += 4;
        return v;
    }

    private long s32u() throws UnpicklingException {
        return s32() & 0xffffffffL;
    }

    private long u64() throws UnpicklingException {
        need(8);
        long v = in.getLong(pos);
        pos += 8;
        return v;
    }

    private long bigEndianLong() throws UnpicklingException {
        need(8);
        long v = Long.reverseBytes(in.getLong(pos));
        pos += 8;
        return v;
    }

    private void need(long n) throws UnpicklingException {
        if (n > in.limit() - pos) {
            throw error("truncated: the opcode needs " + n + " more bytes but " + (in.limit() - pos) + " are left");
        }
    }

    /** A declared length, checked against the bytes left before anything is allocated. */
    private int length(long declared, String opcode) throws UnpicklingException {
        if (declared < 0 || declared > in.limit() - pos) {
            throw error(opcode + " declares " + Long.toUnsignedString(declared) + " bytes but only "
                    + (in.limit() - pos) + " are left");
        }
        return (int) declared;
    }

    private byte[] bytes(int n) throws UnpicklingException {
        need(n);
        byte[] b = new byte[n];
        in.get(pos, b);
        pos += n;
        return b;
    }

    private String utf8(int n) throws UnpicklingException {
        byte[] b = bytes(n);
        int bad = Utf8.firstInvalid(b);
        if (bad >= 0) {
            throw error("a string is not valid UTF-8 at its byte " + bad);
        }
        return canonical.of(new String(b, StandardCharsets.UTF_8));
    }

    /** A newline-terminated ASCII line (protocol 0 and 1 text arguments). */
    private String line(String what) throws UnpicklingException {
        int start = pos;
        int limit = Math.min(in.limit(), pos + MAX_LINE);
        for (int p = pos; p < limit; p++) {
            if (in.get(p) == '\n') {
                byte[] b = new byte[p - start];
                in.get(start, b);
                pos = p + 1;
                for (byte x : b) {
                    if (x < 0x20 || x > 0x7e) {
                        throw error(what + " holds a byte that is not printable ASCII");
                    }
                }
                return new String(b, StandardCharsets.US_ASCII);
            }
        }
        throw error(what + " has no newline within " + MAX_LINE + " bytes");
    }

    private void proto() throws UnpicklingException {
        int version = u8();
        if (version > 5) {
            throw error("pickle protocol " + version + " is newer than 5, the highest there is");
        }
    }

    private void frame() throws UnpicklingException {
        long size = u64();
        if (size < 0 || size > in.limit() - pos) {
            throw error("FRAME declares " + Long.toUnsignedString(size) + " bytes but only " + (in.limit() - pos)
                    + " are left");
        }
    }

    private Object littleEndianInteger(int n) throws UnpicklingException {
        if (n > MAX_INTEGER_BYTES) {
            throw error("an integer of " + n + " bytes is larger than any a checkpoint holds");
        }
        byte[] le = bytes(n);
        if (n == 0) {
            return canonical.of(0);
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        return canonical.of(new BigInteger(be));
    }

    /** INT: protocol 1 writes booleans as {@code I01}/{@code I00} and small ints in decimal. */
    private Object textInt() throws UnpicklingException {
        String s = line("INT");
        if (s.equals("01")) {
            return Boolean.TRUE;
        }
        if (s.equals("00")) {
            return Boolean.FALSE;
        }
        return parseDecimal(s, "INT");
    }

    private Object textLong() throws UnpicklingException {
        String s = line("LONG");
        return parseDecimal(s.endsWith("L") ? s.substring(0, s.length() - 1) : s, "LONG");
    }

    private Object parseDecimal(String s, String opcode) throws UnpicklingException {
        if (!s.matches("[+-]?[0-9]{1," + MAX_INTEGER_BYTES + "}")) {
            throw error(opcode + " argument '" + shorten(s) + "' is not a decimal integer");
        }
        return canonical.of(new BigInteger(s));
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    // ---- the stack ----

    private void push(Object o) {
        stack.add(o);
    }

    private void mark() {
        if (markCount == marks.length) {
            marks = java.util.Arrays.copyOf(marks, markCount * 2);
        }
        marks[markCount++] = stack.size();
    }

    private int floor() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private Object pop() throws UnpicklingException {
        int floor = floor();
        if (stack.size() <= floor) {
            throw error("the stack is empty" + (floor > 0 ? " above the last MARK" : ""));
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws UnpicklingException {
        int floor = floor();
        if (stack.size() <= floor) {
            throw error("the stack is empty" + (floor > 0 ? " above the last MARK" : ""));
        }
        return stack.get(stack.size() - 1);
    }

    /** The objects pushed since the last MARK, removed from the stack, and the MARK with them. */
    private List<Object> popMark() throws UnpicklingException {
        if (markCount == 0) {
            throw error("no MARK to pop to");
        }
        int from = marks[--markCount];
        List<Object> items = new ArrayList<>(stack.subList(from, stack.size()));
        stack.subList(from, stack.size()).clear();
        return items;
    }

    /** POP takes the last MARK when nothing was pushed after it, as CPython's unpickler does. */
    private void popOrMark() throws UnpicklingException {
        if (markCount != 0 && marks[markCount - 1] == stack.size()) {
            markCount--;
        } else {
            pop();
        }
    }

    /** SETITEM: the value is on top, its key below it. */
    private void setItem() throws UnpicklingException {
        Object value = pop();
        Object key = pop();
        setItems(java.util.Arrays.asList(key, value));
    }

    private Object memoGet(long index) throws UnpicklingException {
        Object v = memo.get(index);
        if (v == Memo.UNSET) {
            throw error("memo entry " + index + " was never stored");
        }
        return v;
    }

    private PyTuple tuple(Object[] items) throws UnpicklingException {
        PyTuple t = canonical.tuple(items, MAX_DEPTH);
        if (t == null) {
            throw error("tuples nest deeper than " + MAX_DEPTH + " levels");
        }
        return t;
    }

    private void tupleOf(int n) throws UnpicklingException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        push(tuple(items));
    }

    private void append(Object item) throws UnpicklingException {
        appendTarget().append(item);
    }

    private void appendAll(List<Object> items) throws UnpicklingException {
        appendTarget().appendAll(items);
    }

    private PyList appendTarget() throws UnpicklingException {
        Object target = peek();
        if (!(target instanceof PyList)) {
            throw error("APPEND to " + PickleTypes.name(target) + ", not a list");
        }
        return (PyList) target;
    }

    private void dict() throws UnpicklingException {
        List<Object> items = popMark();
        push(new PyDict());
        setItems(items);
    }

    /** Key/value pairs into the dict on top of the stack; keys must be hashable (and so canonical), as in Python. */
    private void setItems(List<Object> items) throws UnpicklingException {
        if (items.size() % 2 != 0) {
            throw error("an odd number of items (" + items.size() + ") for a dict's keys and values");
        }
        Object target = peek();
        if (!(target instanceof PyDict)) {
            throw error("SETITEM on " + PickleTypes.name(target) + ", not a dict");
        }
        PyDict d = (PyDict) target;
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            if (!PickleTypes.isHashable(key)) {
                throw error("unhashable type: '" + PickleTypes.name(key) + "' as a dict key");
            }
            d.put(key, items.get(i + 1));
        }
    }

    // ---- globals and calls ----

    private void global(String module, String name) throws UnpicklingException {
        TorchGlobal g = TorchGlobal.lookup(module, name);
        if (g == null) {
            throw error("global '" + module + "." + name + "' is not allowed; a torch.save state dict may name only "
                    + TorchGlobal.allowed() + " (PyTorch's weights_only rule). Nothing from the file was run");
        }
        push(g);
    }

    private void stackGlobal() throws UnpicklingException {
        Object name = pop();
        Object module = pop();
        if (!(module instanceof String) || !(name instanceof String)) {
            throw error("STACK_GLOBAL needs two strings, found " + PickleTypes.name(module) + " and "
                    + PickleTypes.name(name));
        }
        global(PickleTypes.printable((String) module), PickleTypes.printable((String) name));
    }

    private void reduce() throws UnpicklingException {
        Object args = pop();
        Object callable = pop();
        if (!(callable instanceof TorchGlobal) || ((TorchGlobal) callable).kind == TorchGlobal.Kind.STORAGE_CLASS) {
            throw error("REDUCE calls "
                    + (callable instanceof TorchGlobal ? "'" + callable + "'" : PickleTypes.name(callable))
                    + ", which cannot be called here");
        }
        if (!(args instanceof PyTuple)) {
            throw error("REDUCE arguments are " + PickleTypes.name(args) + ", not a tuple");
        }
        TorchGlobal g = (TorchGlobal) callable;
        PyTuple a = (PyTuple) args;
        if (g.kind == TorchGlobal.Kind.ORDERED_DICT) {
            if (!a.isEmpty()) {
                throw error("collections.OrderedDict called with " + a.size() + " arguments; torch.save passes none");
            }
            push(new PyOrderedDict(canonical));
        } else {
            push(rebuilder.rebuild(g, a, op));
        }
    }

    /** BUILD: only an OrderedDict's attributes (a state dict's {@code _metadata}) may be set. */
    private void build() throws UnpicklingException {
        Object state = pop();
        Object target = peek();
        if (!(target instanceof PyOrderedDict)) {
            throw error("BUILD on " + PickleTypes.name(target) + " is not allowed; only an OrderedDict's attributes "
                    + "may be set");
        }
        if (!(state instanceof PyDict)) {
            throw error("BUILD state for an OrderedDict is " + PickleTypes.name(state) + ", not a dict");
        }
        PyDict attributes = (PyDict) state;
        if (!attributes.hasOnlyStringKeys()) {
            for (int i = 0; i < attributes.size(); i++) {
                if (!(attributes.key(i) instanceof String)) {
                    throw error("an OrderedDict attribute name is " + PickleTypes.name(attributes.key(i))
                            + ", not a string");
                }
            }
        }
        ((PyOrderedDict) target).build(attributes);
    }

    /**
     * The memo: Python's dict from index to object, as an array for the indices that come in order (BINPUT 0, 1, ...,
     * MEMOIZE) and a map for the others. {@link #size} is Python's {@code len(memo)}, which MEMOIZE uses.
     */
    private static final class Memo {
        static final Object UNSET = new Object();
        private static final Object NONE = new Object();

        private Object[] dense = new Object[64];
        private final HashMap<Long, Object> sparse = new HashMap<>();
        private long size;

        long size() {
            return size;
        }

        void put(long index, Object value) {
            Object stored = value == null ? NONE : value;
            if (index < dense.length) {
                int i = (int) index;
                if (dense[i] == null) {
                    size += sparse.isEmpty() || sparse.remove(index) == null ? 1 : 0;
                }
                dense[i] = stored;
                return;
            }
            if (index <= Math.max(1024, 2 * size) && index < Integer.MAX_VALUE - 8) {
                // near the filled part: grow the array (to at most twice what is filled, so that it stays dense)
                dense = java.util.Arrays.copyOf(
                        dense, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(index + 1, 2L * dense.length)));
                put(index, value);
                return;
            }
            if (sparse.put(index, stored) == null) {
                size++;
            }
        }

        Object get(long index) {
            Object v = index < dense.length ? dense[(int) index] : null;
            if (v == null) {
                v = sparse.get(index);
            }
            return v == null ? UNSET : v == NONE ? null : v;
        }
    }
}
