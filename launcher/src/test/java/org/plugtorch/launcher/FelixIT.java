package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.launcher.FrameworkITSupport.FAKE;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.plugtorch.Device;
import org.plugtorch.DeviceEvent;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Parameter;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;
import org.plugtorch.osgi.BackendServices;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;

/**
 * Apache Felix with the built distribution's bundles: discovery, service properties, demos, and hot plug with
 * nothing lost (evacuation while four threads run forward passes, repeated updates, FileInstall).
 */
class FelixIT {
    private OsgiHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private BundleContext boot() {
        host = FrameworkITSupport.start(null, Map.of());
        return host.context();
    }

    @Test
    void everyBundleStartsAndEveryBackendIsAServiceWithItsProperties() throws Exception {
        BundleContext ctx = boot();
        for (Bundle b : ctx.getBundles()) {
            if (!OsgiHost.GOGO_SHELL.equals(b.getSymbolicName())) {
                assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName() + " is active");
            }
        }
        ServiceReference<Backend> cpu = ctx.getServiceReferences(Backend.class, "(plugtorch.device.type=cpu)")
                .iterator()
                .next();
        assertEquals(Boolean.TRUE, cpu.getProperty(BackendServices.AVAILABLE));
        assertArrayEquals(new String[] {"cpu"}, (String[]) cpu.getProperty(BackendServices.DEVICES));
        assertNull(cpu.getProperty(BackendServices.UNAVAILABLE_REASON));
        assertEquals("cpu-backend-bundle", cpu.getBundle().getSymbolicName());
        for (ServiceReference<Backend> ref : ctx.getServiceReferences(Backend.class, null)) {
            assertNotNull(ref.getProperty(BackendServices.DEVICE_TYPE));
            if (Boolean.FALSE.equals(ref.getProperty(BackendServices.AVAILABLE))) {
                assertNotNull(ref.getProperty(BackendServices.UNAVAILABLE_REASON), "an unavailable backend says why");
            }
        }
        assertTrue(Backends.devices().contains(Device.CPU));
        List<String> table = DeviceTable.lines(ctx);
        assertTrue(
                table.stream().anyMatch(l -> l.startsWith("cpu ") && l.contains("[bundle cpu-backend-bundle 0.1.0.")),
                table.toString());
        // the tests' JVM has jdk.incubator.vector (test.jvm.flags): the bundle's optional import is wired to it
        assertTrue(
                table.stream().anyMatch(l -> l.startsWith("cpu ") && l.contains("gemm: Vector API (")),
                table.toString());
        assertEquals(
                Backends.all().size(),
                table.stream()
                        .map(l -> l.substring(l.lastIndexOf('[')))
                        .distinct()
                        .count());
    }

    @Test
    void theSeedDemoRunsOnEveryAvailableDevice() throws Exception {
        BundleContext ctx = boot();
        FrameworkITSupport.installFake(ctx, "1.0.0");
        List<Device> devices = Backends.devices();
        assertTrue(devices.contains(FAKE), devices.toString());
        for (Device d : devices) {
            String out = FrameworkITSupport.capture(ps -> new SeedDemo(ps).run(d, 0));
            assertTrue(
                    out.contains("parameter1 Parameter containing:\ntensor([ 0.4033,  0.8380, -0.7193]"),
                    d + ":\n" + out);
            assertTrue(out.contains("parameter1.device() = " + d), out);
            assertTrue(
                    out.contains(
                            "| plain tensor field                | no              | no                         | no              | no                |"),
                    out);
            assertTrue(
                    out.contains(
                            "| registered buffer                 | no              | yes (no if non-persistent) | yes             | no                |"),
                    out);
        }
    }

    @Test
    void theTrainingDemoLearnsTheSpiralsAndShowsWhatTrainingChanged(@TempDir Path dir) throws Exception {
        boot();
        Path plot = dir.resolve("loss.png");
        double[] accuracy = new double[1];
        String out = FrameworkITSupport.capture(ps -> accuracy[0] = new TrainDemo(ps).run(Device.CPU, 0, 40, plot));
        assertTrue(accuracy[0] >= 0.9, "accuracy " + accuracy[0] + "\n" + out);
        assertTrue(Files.size(plot) > 1000, "the loss curve was written");
        byte[] png = Files.readAllBytes(plot);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(out.contains("0.weight (parameter): changed"), out);
        assertTrue(out.contains("1.running_mean (buffer): changed"), out);
        assertTrue(out.contains("plain (a plain tensor field) (plain): unchanged, on cpu"), out);
        assertTrue(out.contains("epoch  40  loss "), out);
    }

    @Test
    void theCommandLineNamesAnUnknownDeviceAndTheDevicesThatExist() {
        try (Session session = new Session(FrameworkITSupport.home(), null)) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            picocli.CommandLine cli = PlugtorchCommand.commandLine(session);
            cli.setErr(new PrintWriter(err, true));
            assertEquals(1, cli.execute("demo", "seed", "--device", "nowhere:0"));
            assertTrue(
                    err.toString()
                            .startsWith("error: device 'nowhere:0' is not available (no backend for device type "
                                    + "'nowhere' is installed); available devices: cpu"),
                    err.toString());
        }
    }

    @Test
    void installingABackendBundleMakesItsDeviceUsableAtOnceAndEventAdminHearsIt() throws Exception {
        BundleContext ctx = boot();
        BlockingQueue<Event> posted = new LinkedBlockingQueue<>();
        Hashtable<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, "org/plugtorch/device/*");
        ctx.registerService(EventHandler.class, posted::add, topics);

        Bundle fake = FrameworkITSupport.installFake(ctx, "1.0.0");
        assertTrue(Backends.devices().contains(FAKE));
        Event added = posted.poll(10, TimeUnit.SECONDS);
        assertNotNull(added, "Event Admin delivered the ADDED event");
        assertEquals("org/plugtorch/device/ADDED", added.getTopic());
        assertArrayEquals(new String[] {"fake:0"}, (String[]) added.getProperty("devices"));

        Tensor t = Tensor.of(1f, 2f, 3f).to(FAKE);
        fake.uninstall();
        assertEquals(Device.CPU, t.device());
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
        Event removed = posted.poll(10, TimeUnit.SECONDS);
        assertNotNull(removed, "Event Admin delivered the REMOVED event");
        assertEquals("org/plugtorch/device/REMOVED", removed.getTopic());
        assertTrue(((String) removed.getProperty("reason")).startsWith("bundle fake-backend-bundle 1.0.0 "), (String)
                removed.getProperty("reason"));
        assertTrue((Integer) removed.getProperty("moved.count") >= 1);
    }

    @Test
    void forwardPassesInFourThreadsSurviveUninstallUpdateAndReinstall() throws Exception {
        BundleContext ctx = boot();
        Bundle fake = FrameworkITSupport.installFake(ctx, "1.0.0");
        Generator.seedDefault(3);
        Sequential model = new Sequential(new Linear(16, 32), new ReLU(), new Linear(32, 8));
        Tensor[] inputs = new Tensor[4];
        Tensor[] expected = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            inputs[i] = Tensor.randn(6, 16);
            expected[i] = model.forward(inputs[i]);
        }
        Map<String, float[]> before = values(model);
        model.to(FAKE);
        Set<Tensor> modelTensors = Collections.newSetFromMap(new IdentityHashMap<>());
        modelTensors.addAll(model.parameters());

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger passes = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int k = i;
            Tensor x = inputs[k].to(FAKE);
            Thread t = new Thread(
                    () -> {
                        try {
                            while (!stop.get()) {
                                Tensor y = model.forward(x);
                                if (!y.cpu().allclose(expected[k], 1e-5, 1e-5)) {
                                    failures.add(new AssertionError(
                                            "thread " + k + ": " + y + " differs from " + expected[k]));
                                }
                                passes.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    },
                    "forward-" + i);
            threads.add(t);
            t.start();
        }
        try (FrameworkITSupport.Events events = new FrameworkITSupport.Events()) {
            awaitPasses(passes, 40);
            fake.uninstall();
            DeviceEvent removed = events.next(DeviceEvent.Kind.REMOVED, FAKE);
            Set<Tensor> moved = Collections.newSetFromMap(new IdentityHashMap<>());
            removed.moved().forEach(m -> moved.add(m.tensor()));
            for (Tensor p : modelTensors) {
                assertTrue(moved.contains(p), "the evacuation names every parameter: " + p.device());
            }
            awaitPasses(passes, 40);

            fake = FrameworkITSupport.installFake(ctx, "1.0.0");
            events.next(DeviceEvent.Kind.ADDED, FAKE);
            awaitPasses(passes, 40);
            fake.update(new ByteArrayInputStream(TestBundles.fakeBackend("1.0.1")));
            events.next(DeviceEvent.Kind.REMOVED, FAKE);
            events.next(DeviceEvent.Kind.ADDED, FAKE);
            assertEquals("1.0.1", fake.getVersion().toString());
            awaitPasses(passes, 40);
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
        assertEquals(List.of(), failures);
        for (Parameter p : model.parameters()) {
            assertEquals(Device.CPU, p.device());
        }
        Map<String, float[]> after = values(model);
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
    }

    private static Map<String, float[]> values(Sequential m) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    private static void awaitPasses(AtomicInteger passes, int more) throws InterruptedException {
        int target = passes.get() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (passes.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(passes.get() >= target, "forward passes stalled at " + passes.get());
    }

    @Test
    void aHundredUpdatesLeaveNoNativeErrorAndLetEveryOldRevisionBeCollected() throws Exception {
        BundleContext ctx = boot();
        Bundle fake = FrameworkITSupport.installFake(ctx, "1.0.0");
        List<WeakReference<ClassLoader>> oldLoaders = new ArrayList<>();
        Tensor survivor = Tensor.of(4f, 5f, 6f);
        for (int i = 1; i <= 100; i++) {
            Backend backend = Backends.forDevice(FAKE);
            oldLoaders.add(new WeakReference<>(backend.getClass().getClassLoader()));
            survivor.setData(survivor.to(FAKE));
            fake.update(new ByteArrayInputStream(TestBundles.fakeBackend("1.0." + i)));
            assertEquals(Device.CPU, survivor.device(), "update " + i + " evacuated the tensor");
            assertTrue(Backends.devices().contains(FAKE), "update " + i + " brought the device back");
        }
        FrameworkITSupport.refresh(ctx);
        assertArrayEquals(new float[] {4, 5, 6}, survivor.toFloatArray());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (oldLoaders.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        long alive = oldLoaders.stream().filter(r -> r.get() != null).count();
        assertEquals(0, alive, alive + " of 100 old class loaders are still reachable");
        assertSame(fake, ctx.getBundle(fake.getBundleId()));
    }

    @Test
    void theHotplugDemoKeepsItsOutputsWhileTheBackendGoesAndComesBack(@TempDir Path dir) throws Exception {
        BundleContext ctx = boot();
        Path jar = dir.resolve("fake-backend-bundle.jar");
        Files.write(jar, TestBundles.fakeBackend("1.0.0"));
        ctx.installBundle(jar.toUri().toString()).start();
        int[] mismatches = new int[1];
        String out = FrameworkITSupport.capture(ps -> mismatches[0] = new HotplugDemo(ctx, ps).run(FAKE, 2));
        assertEquals(0, mismatches[0], out);
        assertTrue(out.contains("-- cycle 2: uninstalling fake-backend-bundle 1.0.0 while forward passes run"), out);
        assertTrue(out.contains("model.parameters() now on cpu; input on cpu"), out);
        assertTrue(out.contains("removed (bundle fake-backend-bundle 1.0.0 "), out);
        assertTrue(out.contains("among them 0.bias, 0.weight, 2.bias, 2.weight, input"), out);
        assertTrue(out.contains("model moved back: parameters on fake:0"), out);
        assertTrue(out.contains("outputs different from the CPU's: 0"), out);
    }

    @Test
    void theOpenClBundleUpdatesAgainAndAgainWithAModelAliveOnIt() throws Exception {
        BundleContext ctx = boot();
        Device ocl = Device.parse("opencl:0");
        ServiceReference<Backend> ref = ctx.getServiceReferences(Backend.class, "(plugtorch.device.type=opencl)")
                .iterator()
                .next();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Boolean.TRUE.equals(ref.getProperty(BackendServices.AVAILABLE)),
                "no OpenCL platform here: " + ref.getProperty(BackendServices.UNAVAILABLE_REASON));
        Bundle bundle = ref.getBundle();
        Generator.seedDefault(5);
        Sequential model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
        Tensor x = Tensor.randn(3, 4);
        Tensor expected = model.forward(x);
        try (FrameworkITSupport.Events events = new FrameworkITSupport.Events()) {
            for (int update = 1; update <= 3; update++) {
                model.to(ocl);
                assertTrue(model.forward(x.to(ocl)).cpu().allclose(expected, 1e-5, 1e-5), "update " + update);
                bundle.update();
                DeviceEvent removed = events.next(DeviceEvent.Kind.REMOVED, ocl);
                assertTrue(removed.moved().size() >= 4, "the model's parameters were evacuated: " + removed);
                DeviceEvent added = events.next(DeviceEvent.Kind.ADDED, ocl);
                assertTrue(
                        added.reason().equals("registered"),
                        "revision " + update + " started its natives: " + added.reason());
                assertEquals(Device.CPU, model.parameters().get(0).device());
                assertTrue(model.forward(x).allclose(expected, 1e-5, 1e-5));
            }
        }
    }

    @Test
    void fileInstallDropInReplaceAndDelete(@TempDir Path dir) throws Exception {
        Path hotDeploy = Files.createDirectory(dir.resolve("hot-deploy"));
        host = FrameworkITSupport.start(
                null, Map.of("felix.fileinstall.dir", hotDeploy.toString(), "felix.fileinstall.poll", "200"));
        try (FrameworkITSupport.Events events = new FrameworkITSupport.Events()) {
            TestBundles.dropInto(hotDeploy, "fake-backend.jar", "2.0.0");
            events.next(DeviceEvent.Kind.ADDED, FAKE);
            Tensor t = Tensor.of(7f, 8f).to(FAKE);
            assertEquals(FAKE, t.device());

            TestBundles.dropInto(hotDeploy, "fake-backend.jar", "2.0.10");
            DeviceEvent replaced = events.next(DeviceEvent.Kind.REMOVED, FAKE);
            assertTrue(replaced.reason().startsWith("bundle fake-backend-bundle 2.0.0"), replaced.reason());
            events.next(DeviceEvent.Kind.ADDED, FAKE);
            assertEquals(Device.CPU, t.device());
            t.setData(t.to(FAKE));

            Files.delete(hotDeploy.resolve("fake-backend.jar"));
            events.next(DeviceEvent.Kind.REMOVED, FAKE);
            assertEquals(Device.CPU, t.device());
            assertArrayEquals(new float[] {7, 8}, t.toFloatArray());
            assertFalse(Backends.devices().contains(FAKE));
        }
    }
}
