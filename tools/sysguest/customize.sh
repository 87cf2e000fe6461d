#!/bin/sh
# Turns mmdebstrap's bookworm tree into the systemd guest's host: a fixed name and machine-id,
# the non-root user tester with a lingering user manager, the guest kernel's few modules, and
# no unit that costs boot time under TCG without a part in the tests. Only what any systemd
# host has: the lane's own driver, units and repo mirror come with each boot (mkboot.sh).
# usage: tools/sysguest/customize.sh ROOT MODULES_DIR   (mmdebstrap's --customize-hook, as root;
#        MODULES_DIR is tools/guest/fetch.sh's GUEST_DIR/modules)
set -eu
R=${1:?usage: customize.sh ROOT MODULES_DIR}
M=${2:?usage: customize.sh ROOT MODULES_DIR}

echo sysguest >"$R/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tsysguest\n' >"$R/etc/hosts"
# The initramfs mounts it; systemd-remount-fs applies these options. No fsck: every boot
# starts from the same image.
printf '/dev/vda\t/\text4\trw,noatime\t0\t0\n' >"$R/etc/fstab"
# A set machine-id: an empty or "uninitialized" one makes every boot a first boot (preset-all,
# systemd-firstboot), and every boot of this image is the same machine.
chroot "$R" systemd-machine-id-setup >/dev/null

# The project's users run the harness as root or as an ordinary user with a systemd user
# manager: tester (uid 1000), with subordinate ids for rootless podman. Lingering (what
# `loginctl enable-linger tester` writes) starts user@1000.service at boot, without a login.
chroot "$R" useradd -m -u 1000 -U -s /bin/bash tester
chroot "$R" usermod --add-subuids 100000-165535 --add-subgids 100000-165535 tester
mkdir -p "$R/var/lib/systemd/linger"
: >"$R/var/lib/systemd/linger/tester"
# No motd or last-login lines in a login session's output on the console.
: >"$R/etc/motd"
: >"$R/root/.hushlogin"
: >"$R/home/tester/.hushlogin"

# Debian 12's user@.service (systemd 252) says "Delegate=pids memory cpu": the user manager
# gets the memory controller without a drop-in, and so do the scopes and services it starts
# with Delegate=yes. io is not delegated (nor cpuset, hugetlb). Checked here, not assumed: a
# unit that stopped delegating memory gets the drop-in a host would need.
unit=$R/lib/systemd/system/user@.service
deleg=$(sed -n 's/^Delegate=//p' "$unit")
echo "customize: $unit: Delegate=$deleg"
case " $deleg " in
*" memory "*) ;;
*)
	mkdir -p "$R/etc/systemd/system/user@.service.d"
	printf '# the memory tests run under the user manager: it must own a memory controller\n[Service]\nDelegate=pids memory cpu io\n' \
		>"$R/etc/systemd/system/user@.service.d/delegate.conf"
	;;
esac

# The guest kernel's modules (virtio disk, overlay, fuse, tun, zram, autofs4) where
# systemd-udevd and podman's modprobe look, with kmod's own indexes.
cp -R "$M/lib/modules" "$R/lib/"
for k in "$R"/lib/modules/*; do chroot "$R" depmod "${k##*/}"; done

# Kernel messages on the console only from crit up (as the busybox lane's printk 3): OOM
# reports would land in the middle of the lane's tagged console lines. dmesg keeps them all.
printf 'kernel.printk = 3 4 1 3\n' >"$R/etc/sysctl.d/90-sysguest.conf"
# The journal in memory: every boot starts from the same image anyway.
mkdir -p "$R/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nForwardToConsole=no\n' \
	>"$R/etc/systemd/journald.conf.d/sysguest.conf"

# Nothing to do on a machine that lives for one run: periodic jobs and the console getty on
# a VT no one sees (the lane starts serial-getty@ttyS0 itself, for the session context).
# podman-auto-update.service runs at every boot (6 s under TCG, measured) and wakes the
# socket-activated API service; podman.socket itself stays, as on any podman host.
for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
	e2scrub_reap.service fstrim.timer getty@tty1.service podman-auto-update.timer \
	podman-auto-update.service podman-restart.service systemd-timesyncd.service; do
	ln -sf /dev/null "$R/etc/systemd/system/$u"
done
