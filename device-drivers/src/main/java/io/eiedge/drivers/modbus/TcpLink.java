package io.eiedge.drivers.modbus;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.io.ModbusTCPTransaction;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersResponse;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.net.TCPMasterConnection;
import org.tinylog.Logger;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Modbus TCP through j2mod: one connection to a device or gateway, reopened on the next
 * transaction after any failure (so a rebooted gateway or a re-plugged cable comes back by
 * itself, and a late answer to a timed-out request can never be taken for the next one's).
 */
public final class TcpLink implements ModbusLink {
    private final String host;
    private final int port;
    private final int timeoutMs;
    private final int retries;
    private TCPMasterConnection connection;

    public TcpLink(String host, int port, int timeoutMs, int retries) {
        this.host = host;
        this.port = port;
        this.timeoutMs = timeoutMs;
        this.retries = retries;
    }

    @Override
    public int[] readRegisters(int unitId, RegisterType type, int address, int count) throws ModbusFault {
        ModbusFault last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            try {
                return readOnce(unitId, type, address, count, timeoutMs);
            } catch (ModbusFault f) {
                if (!f.retryable()) {
                    throw f;
                }
                last = f;
            }
        }
        throw last;
    }

    @Override
    public synchronized int[] readOnce(int unitId, RegisterType type, int address, int count, int timeout) throws ModbusFault {
        String where = describe() + " unit " + unitId;
        TCPMasterConnection con = connect(timeout, where);
        con.setTimeout(timeout);
        ModbusRequest request = type == RegisterType.HOLDING
                ? new ReadMultipleRegistersRequest(address, count)
                : new ReadInputRegistersRequest(address, count);
        request.setUnitID(unitId);
        ModbusTCPTransaction tx = new ModbusTCPTransaction(con);
        tx.setRequest(request);
        tx.setRetries(1); // j2mod counts attempts; ours are counted above
        try {
            tx.execute();
        } catch (ModbusSlaveException e) {
            throw ModbusFault.exception(e.getType(), where);
        } catch (ModbusException e) {
            drop();
            boolean timedOut = causedBy(e, SocketTimeoutException.class) || String.valueOf(e.getMessage()).toLowerCase().contains("timeout");
            throw new ModbusFault(timedOut ? ModbusFault.Kind.TIMEOUT : ModbusFault.Kind.COMM,
                    where + (timedOut ? ": no answer within " + timeout + " ms" : ": " + e.getMessage()), e);
        } catch (RuntimeException e) {
            // j2mod throws unchecked exceptions on some malformed frames
            drop();
            throw new ModbusFault(ModbusFault.Kind.COMM, where + ": malformed answer (" + e + ")", e);
        }
        int[] words = words(tx.getResponse());
        if (words == null || words.length != count) {
            drop();
            throw new ModbusFault(ModbusFault.Kind.COMM, where + ": asked for " + count + " registers at " + address
                    + ", got " + (words == null ? "another answer" : words.length));
        }
        return words;
    }

    private static int[] words(ModbusResponse response) {
        InputRegister[] regs;
        if (response instanceof ReadMultipleRegistersResponse r) {
            regs = r.getRegisters();
        } else if (response instanceof ReadInputRegistersResponse r) {
            regs = r.getRegisters();
        } else {
            return null;
        }
        int[] out = new int[regs.length];
        for (int i = 0; i < regs.length; i++) {
            out[i] = regs[i].toUnsignedShort();
        }
        return out;
    }

    private TCPMasterConnection connect(int timeout, String where) throws ModbusFault {
        if (connection != null && connection.isConnected()) {
            return connection;
        }
        try {
            TCPMasterConnection con = new TCPMasterConnection(InetAddress.getByName(host));
            con.setPort(port);
            con.setTimeout(timeout);
            con.connect();
            connection = con;
            Logger.debug("modbus {}: connected", describe());
            return con;
        } catch (UnknownHostException e) {
            throw new ModbusFault(ModbusFault.Kind.UNAVAILABLE, where + ": unknown host '" + host + "'", e);
        } catch (Exception e) {
            boolean timedOut = causedBy(e, SocketTimeoutException.class);
            String why = causedBy(e, ConnectException.class) ? "connection refused" : String.valueOf(e.getMessage());
            throw new ModbusFault(timedOut ? ModbusFault.Kind.TIMEOUT : ModbusFault.Kind.UNAVAILABLE,
                    where + ": cannot connect (" + (timedOut ? "no answer within " + timeout + " ms" : why) + ")", e);
        }
    }

    private void drop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe() {
        return "tcp " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public synchronized void close() {
        drop();
    }
}
