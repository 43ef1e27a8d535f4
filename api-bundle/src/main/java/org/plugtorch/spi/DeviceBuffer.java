package org.plugtorch.spi;

import org.osgi.annotation.versioning.ProviderType;
import org.plugtorch.DType;
import org.plugtorch.Device;

/**
 * One allocation on one device: {@code size} elements of one dtype. A backend hands these out from
 * {@link Backend#allocate} and gets them back in every other call; what it holds inside (a device pointer, an
 * OpenCL buffer, a Java array) is its own business.
 *
 * <p>A tensor never holds a buffer directly: it holds a storage whose buffer can be replaced (re-homed) when the
 * tensor moves or its backend leaves, so the tensor object keeps its identity.
 */
@ProviderType
public interface DeviceBuffer {
    Device device();

    DType dtype();

    /** Number of elements. */
    long size();
}
