/** JMH benchmarks. */
package io.eiedge.bench;
