package org.plugtorch.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.plugtorch.io.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code plugtorch inspect FILE}: a checkpoint's tensors (name, dtype, shape, bytes) and metadata. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "List a checkpoint's tensors and metadata (safetensors, or a torch.save zip file).")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The checkpoint.")
    Path file;

    @Override
    public Integer call() throws IOException {
        System.out.print(Checkpoints.describe(file));
        return 0;
    }
}
