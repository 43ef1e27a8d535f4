// Runs the backend's CUDA C kernels on the CPU for FakeCudaDriver (EmulatedKernels.java). The kernels are compiled
// from src/main/cuda by g++ with cuda_shim.h, and found here by name (dlsym), as cuModuleGetFunction finds them.
//
// Protocol on stdin/stdout, little-endian, one launch at a time:
//   request:  int32 name length, name bytes; int32 grid[3]; int32 block[3];
//             int32 parameter count, then for each: int32 length, bytes;
//             int32 region count, then for each: int64 device address, int64 length, bytes
//   response: int32 0, then every region's bytes again, as the kernel left them;
//             or int32 1, int32 message length, message bytes
// A pointer parameter is translated from a device address into the copy of the region holding it.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <functional>
#include <stdexcept>
#include <string>
#include <ucontext.h>
#include <vector>

#include "../../main/cuda/plugtorch.cuh"

PtDim3 threadIdx;
PtDim3 blockIdx;
PtDim3 blockDim;
PtDim3 gridDim;

// The threads of a block that synchronises are fibers on this one OS thread: each runs until its next
// __syncthreads, then the next one runs; a round of all of them is one barrier phase, as CUDA requires every thread
// of a block to reach every barrier.
namespace {
struct Fiber {
    ucontext_t context;
    std::vector<char> stack;
    PtDim3 index;
    bool done;
};

ucontext_t scheduler;
std::vector<Fiber> fibers;
size_t running;
const std::function<void()>* body;

void fiberMain() {
    (*body)();
    fibers[running].done = true; // returning resumes the scheduler (uc_link)
}
}  // namespace

void __syncthreads() {
    swapcontext(&fibers[running].context, &scheduler);
}

namespace {

struct Region {
    uint64_t base;
    std::vector<unsigned char> bytes;
};

std::vector<Region> regions;

void readFully(void* p, size_t n) {
    if (n > 0 && fread(p, 1, n, stdin) != n) {
        throw std::runtime_error("eof");
    }
}

int32_t readInt() {
    int32_t v;
    readFully(&v, 4);
    return v;
}

int64_t readLong() {
    int64_t v;
    readFully(&v, 8);
    return v;
}

void* translate(const std::vector<unsigned char>& param) {
    uint64_t address;
    std::memcpy(&address, param.data(), 8);
    if (address == 0) {
        return nullptr; // an empty buffer's: a kernel that reads it is broken, and crashes here as on a GPU
    }
    for (Region& r : regions) {
        if (address >= r.base && address < r.base + r.bytes.size()) {
            return r.bytes.data() + (address - r.base);
        }
    }
    throw std::runtime_error("pointer parameter 0x" + std::to_string(address) + " is in no region sent");
}

template <typename T>
T as(const std::vector<unsigned char>& param) {
    if (param.size() != sizeof(T)) {
        throw std::runtime_error("parameter of " + std::to_string(param.size()) + " bytes where "
                                 + std::to_string(sizeof(T)) + " were declared");
    }
    T v;
    std::memcpy(&v, param.data(), sizeof(T));
    return v;
}

bool startsWith(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

// The kernel call for one thread, with its arguments decoded by the kernel family's signature.
std::function<void()> invoker(const std::string& name, const std::vector<std::vector<unsigned char>>& p) {
    void* f = dlsym(RTLD_DEFAULT, name.c_str());
    if (f == nullptr) {
        throw std::runtime_error("no kernel named " + name);
    }
    auto need = [&](size_t n) {
        if (p.size() != n) {
            throw std::runtime_error(name + " takes " + std::to_string(n) + " parameters, got " + std::to_string(p.size()));
        }
    };
    if (startsWith(name, "pt_copy_") || startsWith(name, "pt_logical_not_")) {
        need(3);
        auto k = reinterpret_cast<void (*)(PtStrided, void*, void*)>(f);
        PtStrided l = as<PtStrided>(p[0]);
        void* a = translate(p[1]);
        void* b = translate(p[2]);
        return [=] { k(l, a, b); };
    }
    if (startsWith(name, "pt_fill_")) {
        need(3);
        auto k = reinterpret_cast<void (*)(PtStrided, void*, unsigned long long)>(f);
        PtStrided l = as<PtStrided>(p[0]);
        void* a = translate(p[1]);
        unsigned long long bits = as<unsigned long long>(p[2]);
        return [=] { k(l, a, bits); };
    }
    if (startsWith(name, "pt_unary_")) {
        need(4);
        auto k = reinterpret_cast<void (*)(PtStrided, int, void*, void*)>(f);
        PtStrided l = as<PtStrided>(p[0]);
        int op = as<int>(p[1]);
        void* a = translate(p[2]);
        void* b = translate(p[3]);
        return [=] { k(l, op, a, b); };
    }
    if (startsWith(name, "pt_binary_") || startsWith(name, "pt_compare_")) {
        need(5);
        auto k = reinterpret_cast<void (*)(PtStrided, int, void*, void*, void*)>(f);
        PtStrided l = as<PtStrided>(p[0]);
        int op = as<int>(p[1]);
        void* a = translate(p[2]);
        void* b = translate(p[3]);
        void* c = translate(p[4]);
        return [=] { k(l, op, a, b, c); };
    }
    if (startsWith(name, "pt_where_")) {
        need(5);
        auto k = reinterpret_cast<void (*)(PtStrided, void*, void*, void*, void*)>(f);
        PtStrided l = as<PtStrided>(p[0]);
        void* a = translate(p[1]);
        void* b = translate(p[2]);
        void* c = translate(p[3]);
        void* d = translate(p[4]);
        return [=] { k(l, a, b, c, d); };
    }
    if (startsWith(name, "pt_reduce_")) {
        need(4);
        auto k = reinterpret_cast<void (*)(PtReduction, int, void*, void*)>(f);
        PtReduction r = as<PtReduction>(p[0]);
        int op = as<int>(p[1]);
        void* a = translate(p[2]);
        void* b = translate(p[3]);
        return [=] { k(r, op, a, b); };
    }
    if (startsWith(name, "pt_matmul_")) {
        need(4);
        auto k = reinterpret_cast<void (*)(PtMatmul, void*, void*, void*)>(f);
        PtMatmul m = as<PtMatmul>(p[0]);
        void* a = translate(p[1]);
        void* b = translate(p[2]);
        void* c = translate(p[3]);
        return [=] { k(m, a, b, c); };
    }
    throw std::runtime_error("no signature known for " + name);
}

// Kernels that synchronise run their block as fibers; the others run thread after thread.
bool synchronises(const std::string& name) {
    return startsWith(name, "pt_reduce_") || startsWith(name, "pt_matmul_");
}

void launch(const std::string& name, const int32_t grid[3], const int32_t block[3], const std::function<void()>& k) {
    gridDim = {(unsigned) grid[0], (unsigned) grid[1], (unsigned) grid[2]};
    blockDim = {(unsigned) block[0], (unsigned) block[1], (unsigned) block[2]};
    int threads = block[0] * block[1] * block[2];
    auto index = [&](int t) {
        return PtDim3{(unsigned) (t % block[0]), (unsigned) (t / block[0] % block[1]),
                      (unsigned) (t / (block[0] * block[1]))};
    };
    std::vector<PtDim3> blocks;
    for (int z = 0; z < grid[2]; z++) {
        for (int y = 0; y < grid[1]; y++) {
            for (int x = 0; x < grid[0]; x++) {
                blocks.push_back({(unsigned) x, (unsigned) y, (unsigned) z});
            }
        }
    }
    if (!synchronises(name)) {
        for (const PtDim3& b : blocks) {
            blockIdx = b;
            for (int t = 0; t < threads; t++) {
                threadIdx = index(t);
                k();
            }
        }
        return;
    }
    fibers.resize(threads);
    body = &k;
    for (const PtDim3& b : blocks) {
        blockIdx = b;
        for (int t = 0; t < threads; t++) {
            Fiber& f = fibers[t];
            f.stack.resize(256 * 1024);
            f.index = index(t);
            f.done = false;
            getcontext(&f.context);
            f.context.uc_stack.ss_sp = f.stack.data();
            f.context.uc_stack.ss_size = f.stack.size();
            f.context.uc_link = &scheduler;
            makecontext(&f.context, fiberMain, 0);
        }
        bool alive = true;
        while (alive) {
            alive = false;
            for (int t = 0; t < threads; t++) {
                if (!fibers[t].done) {
                    running = t;
                    threadIdx = fibers[t].index;
                    swapcontext(&scheduler, &fibers[t].context);
                    alive |= !fibers[t].done;
                }
            }
        }
    }
}

void writeAll(const void* p, size_t n) {
    if (n > 0 && fwrite(p, 1, n, stdout) != n) {
        throw std::runtime_error("cannot write the response");
    }
}

}  // namespace

int main() {
    while (true) {
        int32_t length;
        if (fread(&length, 1, 4, stdin) != 4) {
            return 0;
        }
        try {
            std::string name(length, '\0');
            readFully(name.data(), length);
            int32_t grid[3], block[3];
            for (int i = 0; i < 3; i++) grid[i] = readInt();
            for (int i = 0; i < 3; i++) block[i] = readInt();
            std::vector<std::vector<unsigned char>> params(readInt());
            for (auto& p : params) {
                p.resize(readInt());
                readFully(p.data(), p.size());
            }
            regions.assign(readInt(), Region{});
            for (Region& r : regions) {
                r.base = readLong();
                r.bytes.resize(readLong());
                readFully(r.bytes.data(), r.bytes.size());
            }
            launch(name, grid, block, invoker(name, params));
            int32_t ok = 0;
            writeAll(&ok, 4);
            for (Region& r : regions) {
                writeAll(r.bytes.data(), r.bytes.size());
            }
        } catch (const std::exception& e) {
            std::string message = e.what();
            int32_t failed = 1;
            int32_t n = (int32_t) message.size();
            writeAll(&failed, 4);
            writeAll(&n, 4);
            writeAll(message.data(), message.size());
            if (message == "eof") {
                return 1;
            }
        }
        fflush(stdout);
    }
}
