package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.internal.runtime.Storage;
import org.plugtorch.internal.runtime.Tensors;
import org.plugtorch.tck.ReferenceDevices;

/**
 * A leaf keeps a gradient the backward pass made without copying it only when nothing else can reach it: gradients
 * that several inputs share, that a user's node saw or made, or that the caller passed in are copied, so that
 * accumulating into one leaf's gradient never changes another tensor.
 */
class GradientOwnershipTest {
    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static Tensor leaf(float... values) {
        return Tensor.of(values).requiresGrad_(true);
    }

    @Test
    void aGradientOnlyTheLibrarysNodesMadeIsKeptWithoutACopy() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2.0).sum();
        long before = Storage.nextSerial();
        y.backward();
        long made = Storage.nextSerial() - before;
        // the last storage the pass makes is MulBackward's product, and it becomes x.grad; a copy would be a fourth
        // (this test fails with the ownership check turned off)
        assertEquals(3, made, "storages made by the backward pass");
        assertEquals(before + 2, Tensors.impl(x.grad()).storage.serial, "x.grad is the product MulBackward made");
        assertArrayEquals(new float[] {2, 2}, x.grad().toFloatArray());
    }

    @Test
    void twoLeavesFedTheSameGradientGetTwoTensors() {
        Tensor a = leaf(1, 2);
        Tensor b = leaf(3, 4);
        a.add(b).mul(2.0).sum().backward();
        assertFalse(a.grad().sharesStorageWith(b.grad()));
        a.add(b).mul(2.0).sum().backward();
        assertArrayEquals(new float[] {4, 4}, a.grad().toFloatArray());
        assertArrayEquals(new float[] {4, 4}, b.grad().toFloatArray());
    }

    @Test
    void aGradientPassedInIsNotTakenOver() {
        Tensor a = leaf(1, 2);
        Tensor given = Tensor.of(5f, 6f);
        a.mul(1.0).backward(given);
        a.mul(1.0).backward(given);
        assertArrayEquals(new float[] {5, 6}, given.toFloatArray());
        assertArrayEquals(new float[] {10, 12}, a.grad().toFloatArray());
    }

    @Test
    void aGradientAUsersNodeKeepsIsNotTakenOver() {
        Tensor x = leaf(1, 2);
        Tensor[] kept = new Tensor[1];
        Tensor out = GradMode.noGrad(() -> x.mul(1.0));
        out = new Node(x) {
            @Override
            protected Tensor[] backward(Tensor grad) {
                kept[0] = grad.mul(3.0);
                return new Tensor[] {kept[0]};
            }
        }.attach(out);
        out.sum().backward();
        assertNotSame(kept[0], x.grad());
        assertFalse(kept[0].sharesStorageWith(x.grad()));
        x.mul(1.0).sum().backward();
        assertArrayEquals(new float[] {3, 3}, kept[0].toFloatArray());
        assertArrayEquals(new float[] {4, 4}, x.grad().toFloatArray());
    }

    @Test
    void aGradientAUsersNodeReceivedIsNotTakenOver() {
        Tensor x = leaf(1, 2);
        Tensor y = leaf(1, 2);
        Tensor[] seen = new Tensor[1];
        Tensor s = x.mul(2.0);
        Tensor passed = new Node(y) {
            @Override
            protected Tensor[] backward(Tensor grad) {
                seen[0] = grad;
                return new Tensor[] {grad.mul(1.0)};
            }
        }.attach(GradMode.noGrad(() -> y.mul(1.0)));
        s.mul(3.0).add(passed).sum().backward();
        Tensor before = Tensor.of(seen[0].toFloatArray());
        x.mul(1.0).sum().backward();
        y.mul(1.0).sum().backward();
        assertArrayEquals(before.toFloatArray(), seen[0].toFloatArray());
        assertArrayEquals(new float[] {7, 7}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {2, 2}, y.grad().toFloatArray());
    }
}
