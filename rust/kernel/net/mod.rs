// SPDX-License-Identifier: GPL-2.0

//! Networking.

#[cfg(CONFIG_RUST_NETDEV_ABSTRACTIONS)]
pub mod ethtool;
#[cfg(CONFIG_RUST_NETDEV_ABSTRACTIONS)]
pub mod netdev;
#[cfg(CONFIG_RUST_NETDEV_ABSTRACTIONS)]
pub mod netlink_tap;
#[cfg(CONFIG_RUST_PHYLIB_ABSTRACTIONS)]
pub mod phy;
#[cfg(CONFIG_RUST_NETDEV_ABSTRACTIONS)]
pub mod rtnl;
#[cfg(CONFIG_RUST_NETDEV_ABSTRACTIONS)]
pub mod skbuff;

pub mod netlink;
