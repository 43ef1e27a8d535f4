package org.plugtorch.io;

import java.math.BigInteger;

/** Python's names for unpickled values, and which of them may be dict keys; for messages that never print values. */
final class PickleTypes {
    private PickleTypes() {}

    static String name(Object v) {
        if (v == null) {
            return "NoneType";
        } else if (v instanceof Boolean) {
            return "bool";
        } else if (v instanceof Long || v instanceof BigInteger) {
            return "int";
        } else if (v instanceof Double) {
            return "float";
        } else if (v instanceof String) {
            return "str";
        } else if (v instanceof byte[]) {
            return "bytes";
        } else if (v instanceof PyTuple) {
            return "tuple";
        } else if (v instanceof PyOrderedDict) {
            return "collections.OrderedDict";
        } else if (v instanceof PyDict) {
            return "dict";
        } else if (v instanceof PyList) {
            return "list";
        } else if (v instanceof TorchGlobal) {
            return "global " + v;
        } else if (v instanceof TorchStorageRef) {
            return "storage";
        } else if (v instanceof TorchTensorRecord) {
            return "torch.Tensor";
        }
        return v.getClass().getSimpleName();
    }

    /**
     * Hashable as Python sees it, among the values this unpickler makes (tuples only of hashables, which a tuple
     * records when it is made: this never walks nested tuples).
     */
    static boolean isHashable(Object v) {
        return v == null
                || v instanceof Boolean
                || v instanceof Long
                || v instanceof BigInteger
                || v instanceof Double
                || v instanceof String
                || (v instanceof PyTuple && ((PyTuple) v).hashable);
    }

    /** A string from the file made safe to print: control characters escaped, long ones cut. */
    static String printable(String s) {
        String p = CheckpointDescription.printable(s);
        return p.length() <= 200 ? p : p.substring(0, 200) + "...";
    }
}
