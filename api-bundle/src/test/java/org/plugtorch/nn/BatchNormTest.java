package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.nn.TrainingFixtures.PYTORCH;
import static org.plugtorch.nn.TrainingFixtures.assertPyTorch;
import static org.plugtorch.nn.TrainingFixtures.pattern;
import static org.plugtorch.nn.TrainingFixtures.pyList;
import static org.plugtorch.nn.TrainingFixtures.tensor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Section 6 of the module contract: BatchNorm1d, against PyTorch's numbers, texts and state. */
class BatchNormTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static String error(Executable call) {
        return assertThrows(RuntimeException.class, call).getMessage();
    }

    private static BatchNorm1d handSet(Device device) {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor.noGrad(() -> bn.weight.copy_(Tensor.of(1.2f, 0.7f, -0.5f)));
        Tensor.noGrad(() -> bn.bias.copy_(Tensor.of(0.1f, -0.2f, 0.3f)));
        bn.to(device);
        return bn;
    }

    @Test
    void trainingNormalisesWithTheBatchAndMovesTheRunningStatistics() {
        for (Device device : new Device[] {Device.CPU, ReferenceDevices.FAKE}) {
            BatchNorm1d bn = handSet(device);
            Tensor x = tensor("bn.x1", 4, 3).to(device).requiresGrad_(true);
            Tensor y = bn.forward(x);
            assertEquals("NativeBatchNormBackward0", y.gradFn().name());
            y.mul(pattern(4, 3).to(device)).sum().backward();
            assertPyTorch("bn.train1.y", y);
            assertPyTorch("bn.train1.grad.x", x.grad());
            assertPyTorch("bn.train1.grad.weight", bn.weight.grad());
            assertPyTorch("bn.train1.grad.bias", bn.bias.grad());
            assertPyTorch("bn.train1.running_mean", bn.runningMean);
            assertPyTorch("bn.train1.running_var", bn.runningVar);
            assertEquals(1, bn.numBatchesTracked.itemLong());
            assertEquals(device, bn.runningMean.device());
            assertPyTorch("bn.train2.y", bn.forward(tensor("bn.x2", 3, 3).to(device)));
            assertPyTorch("bn.train2.running_mean", bn.runningMean);
            assertPyTorch("bn.train2.running_var", bn.runningVar);
            assertEquals(2, bn.numBatchesTracked.itemLong());
        }
    }

    @Test
    void evaluationUsesTheRunningStatisticsAndChangesNothing() {
        BatchNorm1d bn = handSet(Device.CPU);
        bn.forward(tensor("bn.x1", 4, 3));
        bn.forward(tensor("bn.x2", 3, 3));
        bn.eval();
        Tensor x = tensor("bn.x3", 2, 3).requiresGrad_(true);
        Tensor y = bn.forward(x);
        y.mul(pattern(2, 3)).sum().backward();
        assertPyTorch("bn.eval.y", y);
        assertPyTorch("bn.eval.grad.x", x.grad());
        assertPyTorch("bn.eval.running_mean", bn.runningMean);
        assertEquals(2, bn.numBatchesTracked.itemLong());
    }

    @Test
    void runningStatisticsAreUpdatedOutsideAutogradAndNeverTrained() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor before = bn.runningMean;
        bn.forward(tensor("bn.x1", 4, 3).requiresGrad_(true));
        assertSame(before, bn.getBuffer("running_mean"));
        assertTrue(bn.runningMean.version() > 0, "written in place");
        assertNull(bn.runningMean.gradFn());
        assertEquals(false, bn.runningMean.requiresGrad());
    }

    @Test
    void momentumNullIsACumulativeAverage() {
        BatchNorm1d bn = new BatchNorm1d(3, 1e-5, null, true, true);
        String[] inputs = {"bn.x1", "bn.x2", "bn.x3"};
        long[] rows = {4, 3, 2};
        for (int i = 0; i < 3; i++) {
            bn.forward(tensor(inputs[i], rows[i], 3));
            assertPyTorch("bn.cumulative" + (i + 1) + ".running_mean", bn.runningMean);
            assertPyTorch("bn.cumulative" + (i + 1) + ".running_var", bn.runningVar);
        }
    }

    @Test
    void membersAndStateDictAsPyTorch() {
        BatchNorm1d bn = new BatchNorm1d(3);
        assertEquals(PYTORCH.text("bn.state_dict_keys"), pyList(bn.stateDict().keySet()));
        assertEquals(PYTORCH.text("bn.parameters"), pyList(bn.namedParameters().keySet()));
        assertEquals(PYTORCH.text("bn.buffers"), pyList(bn.namedBuffers().keySet()));
        assertEquals(
                PYTORCH.text("bn.num_batches_tracked_dtype"),
                bn.stateDict().get("num_batches_tracked").dtype().toString());
        bn.to(DType.FLOAT64);
        assertEquals(DType.INT64, bn.numBatchesTracked.dtype());
        assertEquals(DType.FLOAT64, bn.runningVar.dtype());
    }

    @Test
    void affineAndTrackingSwitches() {
        BatchNorm1d plain = new BatchNorm1d(3, 1e-5, 0.1, false, true);
        assertNull(plain.weight);
        assertNull(plain.getAttr("bias"));
        assertPyTorch("bn.no_affine.y", plain.forward(tensor("bn.x1", 4, 3)));
        assertEquals(
                PYTORCH.text("bn.no_affine.state_dict_keys"),
                pyList(plain.stateDict().keySet()));
        BatchNorm1d untracked = new BatchNorm1d(3, 1e-5, 0.1, true, false);
        assertNull(untracked.runningMean);
        assertPyTorch("bn.untracked.train.y", untracked.forward(tensor("bn.x1", 4, 3)));
        untracked.eval();
        assertPyTorch("bn.untracked.eval.y", untracked.forward(tensor("bn.x1", 4, 3)));
        assertEquals(
                PYTORCH.text("bn.untracked.state_dict_keys"),
                pyList(untracked.stateDict().keySet()));
    }

    @Test
    void threeDimensionalInputsNormalisePerChannelOverBatchAndLength() {
        BatchNorm1d bn = new BatchNorm1d(3, 1e-5, 0.2, true, true);
        Tensor x = tensor("bn3d.x", 2, 3, 4).requiresGrad_(true);
        Tensor y = bn.forward(x);
        y.mul(pattern(2, 3, 4)).sum().backward();
        assertPyTorch("bn3d.y", y);
        assertPyTorch("bn3d.grad.x", x.grad());
        assertPyTorch("bn3d.grad.weight", bn.weight.grad());
        assertPyTorch("bn3d.running_mean", bn.runningMean);
        assertPyTorch("bn3d.running_var", bn.runningVar);
    }

    @Test
    void reprAndErrorsAsPyTorch() {
        assertEquals(PYTORCH.text("bn.repr.default"), new BatchNorm1d(4).toString());
        assertEquals(PYTORCH.text("bn.repr.custom"), new BatchNorm1d(4, 0.001, null, false, false).toString());
        assertEquals(PYTORCH.text("bn.error.batch_of_one"), error(() -> new BatchNorm1d(3).forward(Tensor.ones(1, 3))));
        assertEquals(
                PYTORCH.text("bn.error.batch_of_one_3d"),
                error(() -> new BatchNorm1d(3).forward(Tensor.ones(1, 3, 1))));
        assertEquals(PYTORCH.text("bn.error.4d"), error(() -> new BatchNorm1d(3).forward(Tensor.ones(2, 3, 1, 1))));
        assertEquals(PYTORCH.text("bn.error.channels"), error(() -> new BatchNorm1d(3).forward(Tensor.ones(2, 4))));
        assertEquals(
                PYTORCH.text("bn.error.channels_untracked"),
                error(() -> new BatchNorm1d(3, 1e-5, 0.1, true, false).forward(Tensor.ones(2, 4))));
        BatchNorm1d one = new BatchNorm1d(3);
        assertThrows(IllegalArgumentException.class, () -> one.forward(Tensor.ones(1, 3)));
        assertEquals(
                (long) PYTORCH.values("bn.error.batch_of_one.num_batches_tracked")[0],
                one.numBatchesTracked.itemLong(),
                "PyTorch counts the batch before it checks it");
        BatchNorm1d evaluating = new BatchNorm1d(3);
        evaluating.eval();
        assertSame(evaluating, evaluating.eval());
        assertEquals(3, evaluating.forward(Tensor.ones(1, 3)).size(1), "a batch of one is fine in evaluation");
    }
}
