package io.chorus.integration.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into addresses: the one DNS lookup of an outbound call (tests give their own answers). */
@FunctionalInterface
interface HostResolver {

    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
