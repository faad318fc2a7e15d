package io.eiedge.bench.drivers;

import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.eiedge.drivers.MeterFactory;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.drivers.modbus.ModbusTcpMeterConfig;
import io.eiedge.drivers.modbus.Profiles;
import io.eiedge.drivers.modbus.WordOrder;
import io.eiedge.drivers.sim.SimulatedMeterConfig;
import io.eiedge.drivers.sunspec.SunSpecProfile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one poll cycle of one meter over Modbus TCP on loopback, against j2mod's own slave:
 * an SDM630 (one 76-register request) and a SunSpec model 203 meter (discovery cached, one
 * 53-register request), next to a simulated meter (no I/O) for scale.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// j2mod logs every frame at debug through slf4j-tinylog; a poll must not be measured with that on
@Fork(value = 1, jvmArgsAppend = "-Dtinylog.level=warn")
@State(Scope.Benchmark)
public class ModbusTcpPollBenchmark {
    private ModbusSlave slave;
    private MeterFactory factory;
    private Meter sdm630;
    private Meter sunspec;
    private Meter simulated;

    @Setup(Level.Trial)
    public void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        slave.addProcessImage(1, sdm630Image());
        slave.addProcessImage(2, sunspecImage());
        slave.open();
        factory = new MeterFactory(InstantSource.system(), Path.of("/tmp"), () -> {
            throw new IllegalStateException("no gpio");
        });
        sdm630 = factory.create(ModbusTcpMeterConfig.of("grid", "127.0.0.1", port, 1, Profiles.SDM630));
        sunspec = factory.create(ModbusTcpMeterConfig.of("pv", "127.0.0.1", port, 2, SunSpecProfile.DEFAULT));
        simulated = factory.create(SimulatedMeterConfig.of("load", SimulatedMeterConfig.Kind.LOAD, 1, 5000));
        for (Meter m : new Meter[]{sdm630, sunspec}) {
            Sample s = m.read();
            if (!s.good()) {
                throw new IllegalStateException(m.id() + ": " + m.lastError());
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        factory.close();
        ModbusSlaveFactory.close(slave);
    }

    @Benchmark
    public Sample pollSdm630() {
        return sdm630.read();
    }

    @Benchmark
    public Sample pollSunSpecMeter() {
        return sunspec.read();
    }

    @Benchmark
    public Sample pollSimulated() {
        return simulated.read();
    }

    static SimpleProcessImage sdm630Image() {
        SimpleProcessImage p = new SimpleProcessImage(1);
        for (int a = 0; a < 0x60; a++) {
            p.addInputRegister(new SimpleInputRegister(0));
        }
        float[] values = {230.1f, 231.4f, 229.8f, 5.25f, 0.5f, 12.75f, 1180.5f, -95.25f, 2900f};
        for (int i = 0; i < values.length; i++) {
            putFloat(p, 2 * i, values[i]);
        }
        putFloat(p, 0x34, 3985.25f);
        putFloat(p, 0x46, 50.02f);
        putFloat(p, 0x48, 12345.6f);
        return p;
    }

    private static void putFloat(SimpleProcessImage p, int address, float f) {
        int[] w = WordOrder.ABCD.split(Float.floatToIntBits(f) & 0xFFFF_FFFFL, 2);
        p.setInputRegister(address, new SimpleInputRegister(w[0]));
        p.setInputRegister(address + 1, new SimpleInputRegister(w[1]));
    }

    static SimpleProcessImage sunspecImage() {
        SimpleProcessImage p = new SimpleProcessImage(2);
        int[] words = new int[40000 + 2 + 2 + 105 + 2];
        int a = 40000;
        words[a] = 0x5375;
        words[a + 1] = 0x6E53;
        words[a + 2] = 203;
        words[a + 3] = 105;
        int b = a + 4;
        words[b + 1] = 523; words[b + 4] = 0xFFFE;
        words[b + 6] = 2301; words[b + 13] = 0xFFFF;
        words[b + 14] = 5002; words[b + 15] = 0xFFFE;
        words[b + 16] = 1520;
        words[b + 45] = 4321; words[b + 52] = 0;
        words[b + 105] = 0xFFFF;
        for (int w : words) {
            p.addRegister(new SimpleRegister(w));
        }
        return p;
    }
}
