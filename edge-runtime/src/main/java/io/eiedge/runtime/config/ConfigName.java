package io.eiedge.runtime.config;

/** An enum constant as it is spelled in the configuration file, e.g. {@code modbus-tcp}. */
public interface ConfigName {
    String configName();
}
