package org.plugtorch.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.plugtorch.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code plugtorch demo train}: an MLP with BatchNorm learns two spirals; the seed's table, proven by training. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train an MLP with BatchNorm on two interleaved spirals and show what training changed.")
final class TrainDemoCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--device", defaultValue = "cpu", description = "Device to train on (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--epochs", defaultValue = "60", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--plot",
            defaultValue = "loss.png",
            description = "Where to write the loss curve (default: ${DEFAULT-VALUE}).")
    Path plot;

    TrainDemoCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        session.framework();
        double accuracy = new TrainDemo(System.out).run(Device.parse(device), seed, epochs, plot);
        return accuracy >= 0.9 ? 0 : 1;
    }
}
