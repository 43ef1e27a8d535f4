package org.plugtorch.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;

/** Which tensors of a state dict share memory, as safetensors' writer checks before saving. */
final class SharedTensors {
    private SharedTensors() {
    }

    /** Groups (of two or more names) of tensors whose elements overlap in one storage, in first-seen order. */
    static List<List<String>> overlapping(List<Map.Entry<String, Tensor>> tensors) {
        int n = tensors.size();
        int[] group = new int[n];
        Arrays.fill(group, -1);
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                Tensor a = tensors.get(i).getValue();
                Tensor b = tensors.get(j).getValue();
                if (group[j] < 0 && a.sharesStorageWith(b) && overlap(a, b)) {
                    if (group[i] < 0) {
                        group[i] = groups.size();
                        groups.add(new ArrayList<>(List.of(tensors.get(i).getKey())));
                    }
                    group[j] = group[i];
                    groups.get(group[i]).add(tensors.get(j).getKey());
                }
            }
        }
        return groups;
    }

    /** Whether the element ranges {@code [offset, last element]} of two views of one storage intersect. */
    static boolean overlap(Tensor a, Tensor b) {
        if (a.numel() == 0 || b.numel() == 0) {
            return false;
        }
        return a.storageOffset() <= last(b) && b.storageOffset() <= last(a);
    }

    private static long last(Tensor t) {
        long[] shape = t.shape();
        long[] strides = t.stride();
        long end = t.storageOffset();
        for (int d = 0; d < shape.length; d++) {
            end += (shape[d] - 1) * strides[d];
        }
        return end;
    }
}
