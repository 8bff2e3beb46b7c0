//! Where the server may connect to wake a device: public addresses only.
//!
//! A Web Push endpoint is a URL the device chooses, so a name in it could
//! point the server into its own network (a database, a metadata service).
//! The registration check refuses private address literals; this resolver
//! is the check at connection time, for names: every address a name
//! resolves to that is not public is dropped, and a name with none left is
//! not connected to at all. Connecting to the addresses checked here (not
//! to a second lookup) leaves no window for a name to change its answer.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether `ip` is a public unicast address: not loopback, private, link-
/// local, shared (carrier NAT), multicast, reserved or unspecified, nor an
/// IPv6 address embedding one of those.
pub(super) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => {
            if let Some(v4) = ip.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let segments = ip.segments();
            // 6to4 (2002::/16) and NAT64 (64:ff9b::/96) carry an IPv4 address inside.
            if segments[0] == 0x2002 {
                return is_public_v4(Ipv4Addr::new(
                    (segments[1] >> 8) as u8,
                    segments[1] as u8,
                    (segments[2] >> 8) as u8,
                    segments[2] as u8,
                ));
            }
            if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return is_public_v4(Ipv4Addr::new(
                    (segments[6] >> 8) as u8,
                    segments[6] as u8,
                    (segments[7] >> 8) as u8,
                    segments[7] as u8,
                ));
            }
            !(ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || ip.is_unique_local() || ip.is_unicast_link_local())
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b);
    let this_network = a == 0;
    let reserved = a >= 240;
    let protocol_assignments = ip.octets()[..3] == [192, 0, 0];
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || shared
        || this_network
        || reserved
        || protocol_assignments)
}

/// The HTTP client's resolver: the system's lookup, keeping public addresses
/// only, but for the loopback names the tests' stand-ins are allowed on.
#[derive(Debug, Clone, Default)]
pub(super) struct PublicAddresses {
    /// Names resolved as they are (the hosts of the configured insecure origins).
    pub allowed: Vec<String>,
}

/// Why a name is not connected to.
#[derive(Debug, thiserror::Error)]
#[error("the name resolves to no public address")]
struct NotPublic;

impl Resolve for PublicAddresses {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let allowed = self.allowed.iter().any(|name| name.eq_ignore_ascii_case(&host));
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found.into_iter().filter(|address| allowed || is_public(address.ip())).collect();
            if kept.is_empty() {
                return Err(NotPublic.into());
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

    #[test]
    fn only_public_unicast_addresses_are_public() -> TestResult {
        for public in ["8.8.8.8", "151.101.1.69", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"] {
            assert!(is_public(public.parse()?), "{public}");
        }
        let not_public = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.1.2.3",
            "240.0.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.0.170",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "2002:a00:1::1",
            "64:ff9b::a9fe:a9fe",
        ];
        for private in not_public {
            assert!(!is_public(private.parse()?), "{private}");
        }
        Ok(())
    }

    #[tokio::test]
    async fn a_name_for_a_private_address_resolves_to_nothing() -> TestResult {
        let refused = PublicAddresses::default().resolve("localhost".parse()?).await;
        assert!(refused.is_err(), "localhost resolved to {:?}", refused.map(|addrs| addrs.collect::<Vec<_>>()));
        Ok(())
    }

    #[tokio::test]
    async fn an_allowed_loopback_name_resolves() -> TestResult {
        let allowed = PublicAddresses { allowed: vec!["localhost".into()] };
        let found: Vec<SocketAddr> = allowed.resolve("LOCALHOST".parse()?).await?.collect();
        assert!(!found.is_empty() && found.iter().all(|address| address.ip().is_loopback()), "{found:?}");
        Ok(())
    }

    /// The client the server sends wake-ups with does not connect to a
    /// private address behind a name: the listener is never reached.
    #[tokio::test]
    async fn the_wake_up_client_never_connects_to_a_name_for_a_private_address() -> TestResult {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let client = super::super::http::client(Duration::from_secs(2), PublicAddresses::default())?;
        let sent = client.post(format!("http://localhost:{port}/push")).body("wake").send().await;
        assert!(sent.is_err(), "the request reached {port}");
        let accepted = tokio::time::timeout(Duration::from_millis(200), listener.accept()).await;
        assert!(accepted.is_err(), "the server connected to a private address");
        Ok(())
    }
}
