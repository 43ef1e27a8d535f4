package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;

import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Node;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.internal.runtime.Registry;

/** Backward rules of copies: moves between devices and dtypes, clones, and in-place copies and fills. */
public final class CopyBackward {
    private CopyBackward() {}

    /**
     * {@code grad} moved to the source's device and dtype, or to the CPU when the source's backend has left since
     * (its tensors were evacuated there).
     */
    private static Tensor toStillServed(Tensor grad, DType dtype, Device device) {
        // the check and the move are one step under the gate, so the backend cannot leave between them
        return Ops.atomically(() ->
                Ops.prepare(grad, dtype, device.isCpu() || Registry.devices().contains(device) ? device : Device.CPU));
    }

    /** {@code to(device)} and {@code to(dtype)}: the gradient goes back to the source's device and dtype. */
    public static final class ToCopyBackward0 extends Node {
        private final Device device;
        private final DType dtype;

        public ToCopyBackward0(Tensor self) {
            super(self);
            this.device = self.device();
            this.dtype = self.dtype();
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {toStillServed(grad, dtype, device)};
        }
    }

    /** {@code clone()} and the copy {@code contiguous()} makes of a strided tensor. */
    public static final class CloneBackward0 extends Node {
        public CloneBackward0(Tensor self) {
            super(self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad};
        }
    }

    /**
     * {@code self.copy_(src)}: self's old values are gone (zero gradient); src, which may have broadcast, have
     * another dtype or live on another device, gets the gradient back on its own device.
     */
    public static final class CopyBackwards extends Node {
        private final Device srcDevice;

        public CopyBackwards(Tensor self, Tensor src) {
            super(self, src);
            this.srcDevice = src.device();
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor zeros = !needsInputGrad(0) ? null : Gradients.zeros(impl(grad).shape, grad);
            Tensor toSrc = !needsInputGrad(1) ? null : toStillServed(grad, grad.dtype(), srcDevice);
            return new Tensor[] {zeros, toSrc};
        }
    }

    /** In-place operations that overwrite every element with values that do not depend on it: fills and samples. */
    public static final class Overwrite extends Node {
        private final String name;

        public Overwrite(String name, Tensor self) {
            super(self);
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Gradients.zeros(impl(grad).shape, grad)};
        }
    }
}
