package org.plugtorch;

import org.plugtorch.spi.Backends;

/** Backward rules of copies: moves between devices and dtypes, clones, and in-place copies and fills. */
final class CopyBackward {
    private CopyBackward() {
    }

    /**
     * The device a gradient goes back to: the source's, or the CPU when the source's backend has left since (its
     * tensors were evacuated there).
     */
    static Device stillServed(Device device) {
        return device.isCpu() || Backends.devices().contains(device) ? device : Device.CPU;
    }

    /** {@code to(device)} and {@code to(dtype)}: the gradient goes back to the source's device and dtype. */
    static final class ToCopyBackward0 extends Node {
        private final Device device;
        private final DType dtype;

        ToCopyBackward0(Tensor self) {
            super(self);
            this.device = self.device();
            this.dtype = self.dtype();
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Ops.prepare(grad, dtype, stillServed(device))};
        }
    }

    /** {@code clone()} and the copy {@code contiguous()} makes of a strided tensor. */
    static final class CloneBackward0 extends Node {
        CloneBackward0(Tensor self) {
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
    static final class CopyBackwards extends Node {
        private final Device srcDevice;

        CopyBackwards(Tensor self, Tensor src) {
            super(self, src);
            this.srcDevice = src.device();
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor zeros = next[0] == null ? null : Gradients.zeros(grad.shape, grad);
            Tensor toSrc = next[1] == null ? null : Ops.prepare(grad, grad.dtype(), stillServed(srcDevice));
            return new Tensor[] {zeros, toSrc};
        }
    }

    /** In-place operations that overwrite every element with values that do not depend on it: fills and samples. */
    static final class Overwrite extends Node {
        private final String name;

        Overwrite(String name, Tensor self) {
            super(self);
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Gradients.zeros(grad.shape, grad)};
        }
    }
}
