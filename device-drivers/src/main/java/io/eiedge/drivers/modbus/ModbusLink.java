package io.eiedge.drivers.modbus;

/**
 * A way to reach Modbus devices: one TCP connection ({@link TcpLink}) or one RS-485 bus
 * ({@link RtuBus}). Several meters may share one link; it runs one transaction at a time.
 */
public interface ModbusLink extends AutoCloseable {

    /**
     * Reads {@code count} registers from {@code address} of unit {@code unitId}, with the link's
     * timeout and retries (an exception response is not retried).
     *
     * @return the registers as unsigned 16-bit values
     */
    int[] readRegisters(int unitId, RegisterType type, int address, int count) throws ModbusFault;

    /** Reads once, no retries, with the given timeout: for bus scans. */
    int[] readOnce(int unitId, RegisterType type, int address, int count, int timeoutMs) throws ModbusFault;

    /** "tcp 192.0.2.1:502" or "rtu /dev/ttyUSB0 9600 8N1", for log lines and CLI output. */
    String describe();

    @Override
    void close();
}
