package org.plugtorch.launcher;

import java.util.concurrent.Callable;
import org.plugtorch.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code plugtorch demo seed}: the seed's two programs and its conclusion table. */
@Command(
        name = "seed",
        mixinStandardHelpOptions = true,
        description = "Parameters, buffers and plain tensors: what is trained, saved and moved.")
final class SeedDemoCommand implements Callable<Integer> {
    private final Session session;

    @Option(
            names = "--device",
            defaultValue = "cpu",
            description = "Device to move the models to (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Random seed, as torch.manual_seed (default: ${DEFAULT-VALUE}).")
    long seed;

    SeedDemoCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        session.framework();
        new SeedDemo(System.out).run(Device.parse(device), seed);
        return 0;
    }
}
