package org.plugtorch.cuda;

/** The committed PTX files, one per {@code .cu} source in {@code src/main/cuda}. */
enum KernelModule {
    ELEMENTWISE("elementwise"),
    REDUCE("reduce"),
    MATMUL("matmul");

    final String fileName;

    KernelModule(String fileName) {
        this.fileName = fileName;
    }

    /** The class-path resource holding the PTX. */
    String resource() {
        return "/org/plugtorch/cuda/ptx/" + fileName + ".ptx";
    }
}
