package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What {@code plugtorch inspect FILE} prints. */
class DescribeTest {

    @Test
    void aSafetensorsFile() throws IOException {
        assertEquals(
                "seed.safetensors: safetensors, 4 tensors, 72 bytes of tensor data\n"
                        + "metadata:\n"
                        + "  format: pt\n"
                        + "  name           dtype  shape   bytes\n"
                        + "  linear.bias    F32    [3]     12\n"
                        + "  linear.weight  F32    [3, 3]  36\n"
                        + "  parameter1     F32    [3]     12\n"
                        + "  parameter2     F32    [3]     12\n",
                Checkpoints.describe(CheckpointFixtures.file("seed.safetensors")));
    }

    @Test
    void aTorchSaveFile() throws IOException {
        assertEquals(
                "seed.pt: torch, 4 tensors, 72 bytes of tensor data\n"
                        + "metadata:\n"
                        + "  version: 3\n"
                        + "  _metadata.version: 1\n"
                        + "  _metadata.linear.version: 1\n"
                        + "  name           dtype          shape   bytes  location\n"
                        + "  parameter1     torch.float32  [3]     12     cpu\n"
                        + "  parameter2     torch.float32  [3]     12     cpu\n"
                        + "  linear.weight  torch.float32  [3, 3]  36     cpu\n"
                        + "  linear.bias    torch.float32  [3]     12     cpu\n",
                Checkpoints.describe(CheckpointFixtures.file("seed.pt")));
    }

    @Test
    void dtypesPlugtorchCannotHoldAreStillDescribed() throws IOException {
        String text = Checkpoints.describe(CheckpointFixtures.file("half.safetensors"));
        assertEquals(
                "half.safetensors: safetensors, 2 tensors, 38 bytes of tensor data\n"
                        + "  name  dtype  shape  bytes\n"
                        + "  bf16  BF16   [9]    18\n"
                        + "  f16   F16    [10]   20\n",
                text);
    }
}
