package org.plugtorch.launcher.fake;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.plugtorch.osgi.BackendServices;
import org.plugtorch.spi.Backend;
import org.plugtorch.tck.ReferenceBackend;

/**
 * The activator of a test-only backend bundle that serves {@code fake:0} with the test kit's reference kernels,
 * packaged by {@code TestBundles} with its own copy of the reference backend's classes, so that each revision of the
 * bundle has its own class loader. It is plainly a test device: nothing passes for a GPU.
 */
public final class FakeBackendActivator implements BundleActivator {
    private ServiceRegistration<Backend> registration;

    @Override
    public void start(BundleContext context) {
        registration = BackendServices.register(context, new ReferenceBackend("fake"));
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
    }
}
