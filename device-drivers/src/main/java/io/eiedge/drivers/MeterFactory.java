package io.eiedge.drivers;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.MeterConfig;
import io.eiedge.drivers.modbus.ModbusLink;
import io.eiedge.drivers.modbus.ModbusMeter;
import io.eiedge.drivers.modbus.ModbusProfile;
import io.eiedge.drivers.modbus.ModbusRtuMeterConfig;
import io.eiedge.drivers.modbus.ModbusTcpMeterConfig;
import io.eiedge.drivers.modbus.RegisterMap;
import io.eiedge.drivers.modbus.RegisterMapReader;
import io.eiedge.drivers.modbus.RtuBus;
import io.eiedge.drivers.modbus.SerialBusConfig;
import io.eiedge.drivers.modbus.TcpLink;
import io.eiedge.drivers.modbus.ValueReader;
import io.eiedge.drivers.s0.PulseCounterStore;
import io.eiedge.drivers.s0.S0Meter;
import io.eiedge.drivers.s0.S0MeterConfig;
import io.eiedge.drivers.sim.SimulatedMeter;
import io.eiedge.drivers.sim.SimulatedMeterConfig;
import io.eiedge.drivers.sunspec.SunSpecProfile;
import io.eiedge.drivers.sunspec.SunSpecReader;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds {@link Meter}s from their configuration records. Meters on the same RS-485 device share
 * one {@link RtuBus}; meters at the same Modbus TCP host and port (and timeout) share one
 * connection. A shared link closes when its last meter closes. Not thread-safe: create meters
 * from one thread (reading them from many is fine).
 */
public final class MeterFactory implements AutoCloseable {
    private final InstantSource clock;
    private final Path pulseDir;
    private final Supplier<Context> gpioSupplier;
    private final Map<String, Shared> links = new HashMap<>();
    private Context gpio;

    private static final class Shared {
        final ModbusLink link;
        final Object settings;
        int users;

        Shared(ModbusLink link, Object settings) {
            this.link = link;
            this.settings = settings;
        }
    }

    /**
     * @param clock    time of samples and back-off ({@code InstantSource.system()} in the daemon)
     * @param pulseDir folder of S0 pulse counters, /var/lib/eiedge/pulses by default
     * @param gpio     makes the Pi4J context on first S0 meter; see {@link #gpiodContext()}
     */
    public MeterFactory(InstantSource clock, Path pulseDir, Supplier<Context> gpio) {
        this.clock = clock;
        this.pulseDir = pulseDir;
        this.gpioSupplier = gpio;
    }

    /** A factory for real hardware: system clock, Pi4J with the gpiod provider. */
    public static MeterFactory forHardware(Path pulseDir) {
        return new MeterFactory(InstantSource.system(), pulseDir, MeterFactory::gpiodContext);
    }

    /** Pi4J with only the gpiod digital input provider (Pi 4 and Pi 5, no root; the user needs group gpio). */
    public static Context gpiodContext() {
        return Pi4J.newContextBuilder().noAutoDetect().add(GpioDDigitalInputProvider.newInstance()).build();
    }

    /** Builds the meter a configuration describes. */
    public Meter create(MeterConfig config) {
        return switch (config) {
            case SimulatedMeterConfig c -> new SimulatedMeter(c, clock);
            case io.eiedge.drivers.p1.P1MeterConfig c -> new io.eiedge.drivers.p1.P1Meter(c, clock);
            case ModbusTcpMeterConfig c -> {
                String key = "tcp " + c.host() + ":" + c.port() + " " + c.timeout().toMillis() + "ms x" + c.retries();
                ModbusLink link = acquire(key, key, () -> new TcpLink(c.host(), c.port(), (int) c.timeout().toMillis(), c.retries()));
                yield new ModbusMeter(c.id(), c.unitId(), reader(c.profile()), link, () -> release(key), c.failurePolicy(), clock);
            }
            case ModbusRtuMeterConfig c -> {
                String key = "rtu " + c.bus().device();
                ModbusLink link = acquire(key, c.bus(), () -> new RtuBus(c.bus()));
                yield new ModbusMeter(c.id(), c.unitId(), reader(c.profile()), link, () -> release(key), c.failurePolicy(), clock);
            }
            case S0MeterConfig c -> new S0Meter(c, gpio(), new PulseCounterStore(pulseDir), clock, System::nanoTime);
            default -> throw new IllegalArgumentException("meter " + config.id() + ": no driver for " + config.getClass().getSimpleName());
        };
    }

    /** The shared RTU bus for a device path, for a bus scan while meters use it (null if none is open). */
    public RtuBus openBus(SerialBusConfig bus) {
        Shared s = links.get("rtu " + bus.device());
        return s == null ? null : (RtuBus) s.link;
    }

    private static ValueReader reader(ModbusProfile profile) {
        return switch (profile) {
            case RegisterMap map -> new RegisterMapReader(map);
            case SunSpecProfile ignored -> new SunSpecReader();
            default -> throw new IllegalArgumentException("no reader for profile " + profile.name());
        };
    }

    private synchronized ModbusLink acquire(String key, Object settings, Supplier<ModbusLink> make) {
        Shared s = links.get(key);
        if (s == null) {
            s = new Shared(make.get(), settings);
            links.put(key, s);
        } else if (!s.settings.equals(settings)) {
            throw new IllegalArgumentException(key + ": meters on one bus must use the same bus settings; got " + settings
                    + " and " + s.settings);
        }
        s.users++;
        return s.link;
    }

    private synchronized void release(String key) {
        Shared s = links.get(key);
        if (s != null && --s.users == 0) {
            s.link.close();
            links.remove(key);
        }
    }

    private Context gpio() {
        if (gpio == null) {
            gpio = gpioSupplier.get();
        }
        return gpio;
    }

    /** Closes shared links no meter closed, and the Pi4J context this factory made. */
    @Override
    public synchronized void close() {
        links.values().forEach(s -> s.link.close());
        links.clear();
        if (gpio != null) {
            gpio.shutdown();
            gpio = null;
        }
    }
}
