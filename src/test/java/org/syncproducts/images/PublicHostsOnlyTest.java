package org.syncproducts.images;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Address classification only: literals, no lookups and no traffic. */
class PublicHostsOnlyTest {
    @Test
    void loopbackLinkLocalPrivateSharedAndUniqueLocalAddressesAreNotPublic() throws UnknownHostException {
        for (String address : new String[] {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1",
                "fc12::3", "::ffff:10.0.0.1", "::"}) {
            assertFalse(PublicHostsOnly.isPublic(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void otherAddressesArePublic() throws UnknownHostException {
        for (String address : new String[] {"93.184.215.14", "172.32.0.1", "100.128.0.1", "2a00:1450:4001::1"}) {
            assertTrue(PublicHostsOnly.isPublic(InetAddress.getByName(address)), address);
        }
    }
}
