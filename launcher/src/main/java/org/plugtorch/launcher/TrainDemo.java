package org.plugtorch.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.launcher.train.ClassifierTraining;
import org.plugtorch.launcher.train.Dataset;
import org.plugtorch.launcher.train.EpochResult;
import org.plugtorch.launcher.train.StateSnapshot;
import org.plugtorch.launcher.train.TensorChange;
import org.plugtorch.launcher.train.TwoSpirals;
import org.plugtorch.nn.Sequential;
import org.plugtorch.optim.Adam;

/**
 * Trains an MLP with BatchNorm on two interleaved spirals, on a chosen device, then proves the seed's table from what
 * training did: the optimizer changed the parameters, the running statistics changed without being trained, and a
 * plain tensor did not move at all.
 */
final class TrainDemo {
    private final PrintStream out;

    TrainDemo(PrintStream out) {
        this.out = out;
    }

    /** Returns the final accuracy on the training set. */
    double run(Device device, long seed, int epochs, Path plot) throws IOException {
        Generator.seedDefault(seed);
        Dataset data = TwoSpirals.generate(200, 0.02, new Generator(seed + 1));
        Sequential model = TwoSpirals.classifier(32);
        model.to(device);
        Tensor plain = Tensor.randn(3);
        out.println("two spirals, " + data.size() + " points; training on " + device + ":");
        out.println(model);
        StateSnapshot before = StateSnapshot.of(model).with("plain (a plain tensor field)", plain);
        Adam optimizer = new Adam(model.parameters(), 0.02);
        List<EpochResult> results = new ArrayList<>();
        int batchSize = 32;
        int batches = (data.size() + batchSize - 1) / batchSize;
        try (ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("training")
                .setInitialMax((long) epochs * batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .build()) {
            new ClassifierTraining(model, optimizer, device)
                    .fit(data, epochs, batchSize, new Generator(seed + 2), new ClassifierTraining.Listener() {
                        @Override
                        public void batchDone(int epoch, int batch, int total, double loss) {
                            bar.step();
                            bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d loss %.4f", epoch, loss));
                        }

                        @Override
                        public void epochDone(EpochResult r) {
                            results.add(r);
                        }
                    });
        }
        for (EpochResult r : results) {
            out.println(String.format(
                    Locale.ROOT, "epoch %3d  loss %.4f  accuracy %.3f", r.epoch(), r.loss(), r.accuracy()));
        }
        savePlot(results, plot);
        out.println("loss curve written to " + plot.toAbsolutePath());
        out.println();
        out.println("what training changed (the seed's table, from the live model):");
        for (TensorChange c : before.changes()) {
            out.println("  " + c);
        }
        return results.get(results.size() - 1).accuracy();
    }

    private static void savePlot(List<EpochResult> results, Path plot) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] epochs = results.stream().mapToDouble(EpochResult::epoch).toArray();
        double[] losses = results.stream().mapToDouble(EpochResult::loss).toArray();
        double[] accuracy = results.stream().mapToDouble(EpochResult::accuracy).toArray();
        XYChart chart = new XYChartBuilder()
                .width(800)
                .height(500)
                .title("Two spirals: training")
                .xAxisTitle("epoch")
                .yAxisTitle("value")
                .build();
        chart.addSeries("loss", epochs, losses);
        chart.addSeries("accuracy", epochs, accuracy);
        ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", plot.toFile());
    }
}
