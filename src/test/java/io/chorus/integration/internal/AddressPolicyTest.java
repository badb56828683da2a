package io.chorus.integration.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private final AddressPolicy strict = new AddressPolicy(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0177.0.0.1", "127.1", "1.2.3", "01.2.3.4", "127.0.0.01", "256.1.1.1",
            "1.2.3.4.5", "127.0.0.1.", "[::ffff:127.0.0.1]", "[::ffff:8.8.8.8]", "[fe80::1%eth0]"})
    void oddIpSpellingsAreRefused(String host) {
        assertThatThrownBy(() -> AddressPolicy.literal(host)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x7f.1", "0x7f000001", "example.123", "under_score.example.com", "-lead.example.com",
            "a..example.com", "example.com."})
    void hostNamesNoResolverAgreesOnAreRefused(String host) {
        assertThat(AddressPolicy.literal(host)).isNull();
        assertThat(AddressPolicy.hostNameRefusal(host)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hooks.example.com", "erp-1.corp.example", "x.io", "1password.com", "a1.b2.c3"})
    void properHostNamesPass(String host) {
        assertThat(AddressPolicy.literal(host)).isNull();
        assertThat(AddressPolicy.hostNameRefusal(host)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "::1", "0.0.0.0", "::", "10.0.0.1", "172.16.0.1",
            "172.31.255.255", "192.168.1.1", "169.254.169.254", "169.254.1.1", "100.64.0.1", "100.127.255.254",
            "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "198.18.0.1", "192.0.2.1",
            "198.51.100.7", "203.0.113.9", "192.0.0.8", "fd00:ec2::254", "fc00::1", "fe80::1", "fec0::1", "ff02::1",
            "2002:7f00:1::", "64:ff9b::a00:1", "2001::1", "2001:db8::1", "::127.0.0.1", "100::1"})
    void nonPublicAddressesAreRefused(String literal) throws Exception {
        assertThat(strict.addressRefusal("target.example", InetAddress.getByName(literal))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.215.14", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
            "2a00:1450:4001::1"})
    void publicAddressesPass(String literal) throws Exception {
        assertThat(strict.addressRefusal("target.example", InetAddress.getByName(literal))).isNull();
    }

    @Test
    void theAllowListLetsItsRangesAndHostsThroughAndNothingElse() throws Exception {
        AddressPolicy onPremise = new AddressPolicy(List.of("10.20.0.0/16", "192.168.7.3", "fd12:3456::/32",
                "erp.corp.example"));

        assertThat(onPremise.addressRefusal("x.example", InetAddress.getByName("10.20.255.1"))).isNull();
        assertThat(onPremise.addressRefusal("x.example", InetAddress.getByName("10.21.0.1"))).isNotNull();
        assertThat(onPremise.addressRefusal("x.example", InetAddress.getByName("192.168.7.3"))).isNull();
        assertThat(onPremise.addressRefusal("x.example", InetAddress.getByName("192.168.7.4"))).isNotNull();
        assertThat(onPremise.addressRefusal("x.example", InetAddress.getByName("fd12:3456::9"))).isNull();
        assertThat(onPremise.addressRefusal("x.example", InetAddress.getByName("fd12:3457::9"))).isNotNull();
        assertThat(onPremise.addressRefusal("ERP.corp.example", InetAddress.getByName("172.16.4.4"))).isNull();
        assertThat(onPremise.addressRefusal("crm.corp.example", InetAddress.getByName("172.16.4.4"))).isNotNull();
    }

    @Test
    void cloudMetadataStaysRefusedWhenTheAllowListCoversIt() throws Exception {
        AddressPolicy linkLocalAllowed = new AddressPolicy(List.of("169.254.0.0/16", "fd00::/8", "metadata.example"));

        assertThat(linkLocalAllowed.addressRefusal("x.example", InetAddress.getByName("169.254.1.1"))).isNull();
        assertThat(linkLocalAllowed.addressRefusal("x.example", InetAddress.getByName("169.254.169.254")))
                .isEqualTo("cloud metadata address");
        assertThat(linkLocalAllowed.addressRefusal("metadata.example", InetAddress.getByName("169.254.169.254")))
                .isEqualTo("cloud metadata address");
        assertThat(linkLocalAllowed.addressRefusal("x.example", InetAddress.getByName("fd00:ec2::254")))
                .isEqualTo("cloud metadata address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "0177.0.0.1/8", "127.1", "not a host", "::1/129"})
    void aBadAllowListEntryFailsAtStartUp(String entry) {
        assertThatThrownBy(() -> new AddressPolicy(List.of(entry))).isInstanceOf(IllegalArgumentException.class);
    }
}
