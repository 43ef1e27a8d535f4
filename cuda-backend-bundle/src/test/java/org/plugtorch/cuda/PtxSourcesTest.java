package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The committed PTX against the CUDA C it came from and the host code that launches it: regenerated after every
 * source change, declaring the ISA and target the backend promises, holding every kernel the host can name, and
 * agreeing with the host on op codes, struct layouts and tile sizes.
 */
class PtxSourcesTest {
    @Test
    void everyPtxFileIsGeneratedFromTheCurrentSources() throws Exception {
        List<Path> headers;
        try (Stream<Path> s = Files.list(CudaSources.directory())) {
            headers = s.filter(p -> p.toString().endsWith(".cuh")).sorted().collect(Collectors.toList());
        }
        List<Path> sources;
        try (Stream<Path> s = Files.list(CudaSources.directory())) {
            sources = s.filter(p -> p.toString().endsWith(".cu")).sorted().collect(Collectors.toList());
        }
        List<String> modules = new ArrayList<>();
        for (KernelModule m : KernelModule.values()) {
            modules.add(m.fileName + ".cu");
        }
        assertEquals(
                modules.stream().sorted().collect(Collectors.toList()),
                sources.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()),
                "each .cu file is one kernel module the backend loads");
        for (KernelModule m : KernelModule.values()) {
            String expected = sha256(CudaSources.file(m.fileName + ".cu"), headers);
            String first = CommittedPtx.text(m).lines().findFirst().orElse("");
            String recorded = first.replace("// plugtorch-source-sha256: ", "");
            if (!recorded.equals(expected)) {
                fail(m.fileName + ".ptx was generated from other sources than the current " + m.fileName + ".cu and "
                        + "headers (recorded " + recorded + ", now " + expected + "): run "
                        + "cuda-backend-bundle/src/main/cuda/regenerate-ptx.sh and commit the PTX");
            }
        }
    }

    private static String sha256(Path source, List<Path> headers) throws IOException, NoSuchAlgorithmException {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(Files.readAllBytes(source));
        for (Path h : headers) {
            d.update(Files.readAllBytes(h));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    void ptxDeclaresIsa80ForSm75() {
        for (KernelModule m : KernelModule.values()) {
            List<String> lines = CommittedPtx.text(m).lines().map(String::strip).collect(Collectors.toList());
            assertTrue(lines.contains(".version 8.0"), m + " declares PTX ISA 8.0, which CUDA 12.0+ drivers load");
            assertTrue(lines.contains(".target sm_75"), m + " targets sm_75, the lowest nvcc 13 accepts");
            assertTrue(lines.contains(".address_size 64"), m + " uses 64-bit addresses");
        }
    }

    /** Every kernel name the backend can launch, by the backend's own naming. */
    static List<String> hostKernelNames() {
        List<String> names = new ArrayList<>();
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                names.add("pt_copy_" + KernelNames.of(from) + "_" + KernelNames.of(to));
            }
            names.add("pt_logical_not_" + KernelNames.of(from));
            names.add("pt_binary_" + KernelNames.of(from));
            names.add("pt_compare_" + KernelNames.of(from));
            names.add("pt_fill_" + KernelNames.bits(from));
            names.add("pt_where_" + KernelNames.bits(from));
            names.add("pt_reduce_" + KernelNames.of(from));
            if (from != DType.BOOL) {
                names.add("pt_unary_" + KernelNames.of(from));
                names.add("pt_matmul_" + KernelNames.of(from));
            }
        }
        return names.stream().distinct().collect(Collectors.toList());
    }

    @Test
    void everyKernelTheHostNamesIsInItsModule() {
        for (String name : hostKernelNames()) {
            KernelModule m = name.startsWith("pt_reduce_")
                    ? KernelModule.REDUCE
                    : name.startsWith("pt_matmul_") ? KernelModule.MATMUL : KernelModule.ELEMENTWISE;
            Map<String, PtxSignatures.Entry> entries = PtxSignatures.parse(CommittedPtx.text(m));
            assertTrue(entries.containsKey(name), m.fileName + ".ptx has an entry " + name);
            assertEquals(
                    Grids.BLOCK,
                    entries.get(name).maxThreads,
                    name + " is built for " + Grids.BLOCK + "-thread blocks");
        }
        int total = 0;
        for (KernelModule m : KernelModule.values()) {
            total += PtxSignatures.parse(CommittedPtx.text(m)).size();
        }
        assertEquals(hostKernelNames().size(), total, "the modules hold no kernel the host never launches");
    }

    @Test
    void opCodesAgreeWithTheHeader() {
        CudaHeader h = CudaHeader.get();
        for (UnaryOp op : UnaryOp.values()) {
            if (op != UnaryOp.LOGICAL_NOT) {
                assertEquals(h.number("PT_UNARY_" + op.name()), KernelOps.code(op), op.toString());
            }
        }
        for (BinaryOp op : BinaryOp.values()) {
            assertEquals(h.number("PT_BINARY_" + op.name()), KernelOps.code(op), op.toString());
        }
        for (ReduceOp op : ReduceOp.values()) {
            assertEquals(h.number("PT_REDUCE_" + op.name()), KernelOps.code(op), op.toString());
        }
    }

    @Test
    void structLayoutsAgreeWithTheHeader() {
        CudaHeader h = CudaHeader.get();
        assertEquals(KernelStructs.MAX_DIMS, h.number("PT_MAX_DIMS"));
        assertEquals(KernelStructs.MAX_OPERANDS, h.number("PT_MAX_OPERANDS"));
        assertSameFields("PtStrided", KernelStructs.STRIDED, h.structs.get("PtStrided"));
        assertSameFields("PtReduction", KernelStructs.REDUCTION, h.structs.get("PtReduction"));
        assertSameFields("PtMatmul", KernelStructs.MATMUL, h.structs.get("PtMatmul"));
    }

    private static void assertSameFields(String struct, List<KernelStructs.Field> host, List<CudaHeader.Field> header) {
        assertEquals(
                header.stream().map(f -> f.name + "[" + f.longs + "]").collect(Collectors.toList()),
                host.stream().map(f -> f.name + "[" + f.longs + "]").collect(Collectors.toList()),
                struct);
    }

    @Test
    void structsArePassedAtTheSizeThePtxDeclares() {
        Map<String, PtxSignatures.Entry> ew = PtxSignatures.parse(CommittedPtx.text(KernelModule.ELEMENTWISE));
        Map<String, PtxSignatures.Entry> rd = PtxSignatures.parse(CommittedPtx.text(KernelModule.REDUCE));
        Map<String, PtxSignatures.Entry> mm = PtxSignatures.parse(CommittedPtx.text(KernelModule.MATMUL));
        assertEquals(
                8 * KernelStructs.longs(KernelStructs.STRIDED),
                ew.get("pt_unary_f32").paramBytes.get(0));
        assertEquals(
                8 * KernelStructs.longs(KernelStructs.REDUCTION),
                rd.get("pt_reduce_f32").paramBytes.get(0));
        assertEquals(
                8 * KernelStructs.longs(KernelStructs.MATMUL),
                mm.get("pt_matmul_f32").paramBytes.get(0));
    }

    @Test
    void tileSizesAgreeWithTheHeader() {
        CudaHeader h = CudaHeader.get();
        assertEquals(Grids.BLOCK, h.number("PT_BLOCK"));
        assertEquals(MatmulLaunch.TILE_32, h.number("PT_MM32_BM"));
        assertEquals(MatmulLaunch.TILE_32, h.number("PT_MM32_BN"));
        assertEquals(MatmulLaunch.TILE_64, h.number("PT_MM64_BM"));
        assertEquals(MatmulLaunch.TILE_64, h.number("PT_MM64_BN"));
    }
}
