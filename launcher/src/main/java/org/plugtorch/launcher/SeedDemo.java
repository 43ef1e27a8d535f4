package org.plugtorch.launcher;

import static org.plugtorch.spi.Preconditions.checkState;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.io.Checkpoints;
import org.plugtorch.io.LoadOptions;
import org.plugtorch.nn.Module;
import org.plugtorch.nn.Parameter;
import org.plugtorch.optim.SGD;

/**
 * The seed's two programs, a state-dict round trip, one optimizer step, and the conclusion table, on a chosen
 * device. Every "yes" and "no" of the table is computed from the live modules, not printed from a string.
 */
final class SeedDemo {
    private final PrintStream out;

    SeedDemo(PrintStream out) {
        this.out = out;
    }

    void run(Device device, long seed) {
        Generator.seedDefault(seed);
        out.println("Plugtorch seed demo on " + device + " (seed " + seed + ", as torch.manual_seed(" + seed + "))");
        SeedModels.TestModel first = firstProgram();
        SeedModels.BufferModel second = secondProgram(device);
        roundTrip(second, device);
        Map<Tensor, Boolean> trained = trainingStep(first, second);
        conclusion(first, second, device, trained);
    }

    /**
     * One SGD step over every parameter of both models, with a loss that involves the buffers too: which tensors did
     * the step change? (Only parameters are in {@code parameters()}, so only they can be.)
     */
    private Map<Tensor, Boolean> trainingStep(SeedModels.TestModel first, SeedModels.BufferModel second) {
        heading("2c. One optimizer step: SGD(model.parameters()) trains the parameters, not the buffers");
        Map<String, Tensor> watched = new LinkedHashMap<>();
        watched.put("TestModel.parameter1 (declared)", first.parameter1);
        watched.put("TestModel.parameter2 (registered by name)", first.getParameter("parameter2"));
        watched.put("TestModel.linear.weight", first.linear.weight);
        watched.put("BufferModel.parameter1", second.parameter1);
        watched.put("BufferModel.buffer2 (buffer)", second.buffer2);
        watched.put("BufferModel.buffer3 (non-persistent buffer)", second.buffer3);
        watched.put("BufferModel.buffer1 (plain tensor field)", second.buffer1);
        Map<Tensor, Tensor> before = new IdentityHashMap<>();
        watched.values().forEach(t -> before.put(t, t.detach().clone()));
        List<Parameter> parameters = new ArrayList<>(first.parameters());
        parameters.addAll(second.parameters());
        SGD optimizer = new SGD(parameters, 0.1);
        out.println("> optimizer = new SGD(parameters of both models, lr=0.1)");
        optimizer.zeroGrad();
        first.forward(Tensor.ones(2, 3).to(first.parameter1.device()))
                .pow(2L)
                .sum()
                .backward();
        second.parameter1.add(second.buffer2).add(second.buffer3).pow(2L).sum().backward();
        optimizer.step();
        out.println("> loss.backward(); optimizer.step()   (the losses use the buffers as well as the parameters)");
        Map<Tensor, Boolean> changed = new IdentityHashMap<>();
        watched.forEach((name, t) -> {
            boolean c = !t.cpu().equal(before.get(t).cpu());
            changed.put(t, c);
            out.println(String.format("%-45s %s", name, c ? "changed by the step" : "unchanged"));
        });
        return changed;
    }

    /** Saves the state dict to a safetensors file and loads it into a fresh model, in place. */
    private void roundTrip(SeedModels.BufferModel model, Device device) {
        heading("2b. The state dict, saved to a file and loaded into a fresh model");
        try {
            Path file = Files.createTempFile("seed", ".safetensors");
            try {
                Checkpoints.save(model, file);
                out.println("> Checkpoints.save(model, \"" + file.getFileName() + "\")");
                out.print(Checkpoints.describe(file));
                SeedModels.BufferModel fresh = new SeedModels.BufferModel();
                fresh.to(device);
                out.println("> Checkpoints.loadStateDict(fresh, file)");
                out.println(Checkpoints.loadStateDict(fresh, file, LoadOptions.defaults()));
                boolean same = model.stateDict().entrySet().stream()
                        .allMatch(e -> e.getValue().equal(fresh.stateDict().get(e.getKey())));
                out.println("every value equal after the round trip: " + same
                        + "; fresh.buffer3 (not saved) kept its own values: " + !fresh.buffer3.equal(model.buffer3));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SeedModels.TestModel firstProgram() {
        heading("1. Parameters: registered by declaration or by name, listed own first, then the child's");
        SeedModels.TestModel model = new SeedModels.TestModel();
        out.println("> model");
        out.println(model);
        out.println("> model.namedParameters()");
        model.namedParameters().forEach((name, p) -> out.println(name + " " + p));
        return model;
    }

    private SeedModels.BufferModel secondProgram(Device device) {
        heading("2. Buffers and plain tensors: what is saved, and what moves");
        SeedModels.BufferModel model = new SeedModels.BufferModel();
        out.println("> model.stateDict()");
        out.println(orderedDict(model.stateDict()));
        out.println("> model.to(\"" + device + "\")");
        model.to(device);
        out.println("parameter1.device() = " + model.parameter1.device() + "   (registered parameter)");
        out.println("buffer2.device()    = " + model.buffer2.device() + "   (registered buffer)");
        out.println("buffer3.device()    = " + model.buffer3.device() + "   (non-persistent buffer: moved, not saved)");
        out.println("buffer1.device()    = " + model.buffer1.device() + "   (plain tensor field: left where it was)");
        Tensor x = Tensor.ones(3).to(device);
        out.println("> model.forward(torch.ones(3).to(\"" + device + "\"))");
        try {
            out.println(model.forward(x));
            checkState(device.isCpu(), () -> "forward mixed " + device + " and cpu without an error");
            out.println("(on cpu the plain field happens to be on the right device; on any other device this call "
                    + "fails with the device-mismatch error)");
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
        }
        return model;
    }

    private void conclusion(
            SeedModels.TestModel first, SeedModels.BufferModel second, Device device, Map<Tensor, Boolean> trained) {
        heading("3. Conclusion, computed from the live modules above");
        Membership declared = Membership.of(first, first.parameter1);
        Membership named = Membership.of(first, first.getParameter("parameter2"));
        Membership buffer = Membership.of(second, second.buffer2);
        Membership nonPersistent = Membership.of(second, second.buffer3);
        Membership plain = Membership.of(second, second.buffer1);
        // What to() reaches: move both models, then convert them, and see which tensors followed.
        for (Module m : List.of(first, second)) {
            m.to(device).toDouble();
        }
        declared = declared.moved(reached(first.parameter1, device));
        named = named.moved(reached(first.getParameter("parameter2"), device));
        buffer = buffer.moved(reached(second.buffer2, device));
        nonPersistent = nonPersistent.moved(reached(second.buffer3, device));
        plain = plain.moved(reached(second.buffer1, device));
        for (Module m : List.of(first, second)) {
            m.toFloat();
        }
        boolean trainedDeclared = trained.get(first.parameter1);
        boolean trainedNamed = trained.get(first.getParameter("parameter2"));
        out.println(
                "|                                   | in parameters() | in stateDict()             | moves with to() | trained by step() |");
        out.println(
                "| --------------------------------- | --------------- | -------------------------- | --------------- | ----------------- |");
        row(
                "registered parameter (either way)",
                agree(declared.inParameters, named.inParameters),
                agree(declared.inStateDict, named.inStateDict),
                agree(declared.moves, named.moves),
                agree(trainedDeclared, trainedNamed));
        row(
                "registered buffer",
                yesNo(buffer.inParameters) + differs(buffer.inParameters, nonPersistent.inParameters),
                yesNo(buffer.inStateDict) + differs(buffer.inStateDict, nonPersistent.inStateDict),
                yesNo(buffer.moves) + differs(buffer.moves, nonPersistent.moves),
                yesNo(trained.get(second.buffer2)) + differs(trained.get(second.buffer2), trained.get(second.buffer3)));
        row(
                "plain tensor field",
                yesNo(plain.inParameters),
                yesNo(plain.inStateDict),
                yesNo(plain.moves),
                yesNo(trained.get(second.buffer1)));
        out.println("(\"moves with to()\": after model.to(\"" + device + "\") and model.toDouble(), the tensor is "
                + "float64 on " + device + ".)");
    }

    private static boolean reached(Tensor t, Device device) {
        return t.dtype() == DType.FLOAT64 && t.device().equals(device);
    }

    private void row(String what, String params, String state, String moves, String stepped) {
        out.println(String.format("| %-33s | %-15s | %-26s | %-15s | %-17s |", what, params, state, moves, stepped));
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    /** "yes" when both ways agree; both answers otherwise, so a disagreement would show. */
    private static String agree(boolean declared, boolean named) {
        return declared == named ? yesNo(declared) : "declared " + yesNo(declared) + ", named " + yesNo(named);
    }

    private static String differs(boolean persistent, boolean nonPersistent) {
        return persistent == nonPersistent ? "" : " (" + yesNo(nonPersistent) + " if non-persistent)";
    }

    private void heading(String title) {
        out.println();
        out.println("=== " + title + " ===");
    }

    /** Python's repr of an OrderedDict of tensors. */
    private static String orderedDict(Map<String, Tensor> sd) {
        return sd.entrySet().stream()
                .map(e -> "('" + e.getKey() + "', " + e.getValue() + ")")
                .collect(Collectors.joining(", ", "OrderedDict([", "])"));
    }

    /** Where one tensor stands in a module: listed by parameters(), saved by stateDict(), reached by to(). */
    private static final class Membership {
        final boolean inParameters;
        final boolean inStateDict;
        final boolean moves;

        private Membership(boolean inParameters, boolean inStateDict, boolean moves) {
            this.inParameters = inParameters;
            this.inStateDict = inStateDict;
            this.moves = moves;
        }

        static Membership of(Module m, Tensor t) {
            boolean inParameters = m.parameters().stream().anyMatch(p -> p == t);
            boolean inStateDict = m.stateDict("", true).values().stream().anyMatch(v -> v == t);
            return new Membership(inParameters, inStateDict, false);
        }

        Membership moved(boolean moves) {
            return new Membership(inParameters, inStateDict, moves);
        }
    }
}
