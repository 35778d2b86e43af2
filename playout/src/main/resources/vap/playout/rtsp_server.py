#!/usr/bin/python3
"""Serve video files over RTSP, each looping forever: a stand-in for IP cameras in tests and demos.

    /usr/bin/python3 rtsp_server.py --port 8554 --mount /lobby=/data/lobby.mp4 --mount /door=/data/door.mp4

Then ``ffplay rtsp://127.0.0.1:8554/lobby`` (or an ingest camera with that URL) plays lobby.mp4 in a loop,
paced in real time, over RTSP/TCP or RTSP/UDP as the client asks. When every mount is being served the
script prints one line ``READY rtsp://<address>:<port>`` on stdout (with ``--port 0`` the port is chosen
by the system and that line tells which); it stops on SIGTERM or SIGINT.

H.264 files (mp4, mkv, mov, ts) are sent as they are. Other codecs need ``--transcode``, which re-encodes
to H.264 with x264 (costs CPU). Loops are seamless: at the end of the file the stream seeks back to the
start without a flush, so RTP timestamps keep increasing and clients see one endless stream.

Needs Debian packages: python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-plugins-good
gstreamer1.0-plugins-bad (h264parse) gstreamer1.0-plugins-ugly (x264enc, for --transcode only) and
gstreamer1.0-libav (decoders for --transcode). Run it with Debian's /usr/bin/python3: the gi bindings are
not visible to other Python installations (pyenv, venvs).

Optional: ``--user NAME --password SECRET`` requires HTTP Basic authentication from clients (to test
cameras with credentials).
"""
import argparse
import os
import signal
import sys

try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtspServer
except (ImportError, ValueError) as e:  # ValueError: the typelib is missing
    sys.stderr.write(
        "rtsp_server.py: GStreamer's RTSP server bindings are missing (%s).\n"
        "Install: apt-get install python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp "
        "gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav\n"
        "and run with /usr/bin/python3.\n" % e)
    sys.exit(3)


class LoopingFileFactory(GstRtspServer.RTSPMediaFactory):
    """One mount point: a file, demuxed (or transcoded) and payloaded as RTP H.264, looping at its end."""

    def __init__(self, path, transcode, gop):
        super().__init__()
        location = path.replace("\\", "\\\\").replace('"', '\\"')
        if transcode:
            # zerolatency: no lookahead, so a client that joins gets pictures at once.
            video = ('decodebin name=unpack ! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=%d '
                     '! video/x-h264,profile=baseline' % gop)
        else:
            video = "parsebin name=unpack ! h264parse"
        # config-interval=-1: SPS/PPS before every key frame, so a client that joins mid-stream can decode.
        self.set_launch('( filesrc location="%s" ! %s ! rtph264pay name=pay0 pt=96 config-interval=-1 )'
                        % (location, video))
        # One pipeline for every client of this mount: a camera streams once, however many watch it.
        self.set_shared(True)
        self.connect("media-configure", self._on_media_configure)

    def _on_media_configure(self, _factory, media):
        # The demuxer inside parsebin (or decodebin) appears later, when the file's type is known.
        media.get_element().get_by_name("unpack").connect("deep-element-added", self._on_element_added)

    def _on_element_added(self, _bin, _sub_bin, element):
        factory = element.get_factory()
        if factory is not None and "Demux" in (factory.get_metadata("klass") or ""):
            element.connect("pad-added", self._on_demuxer_pad)

    def _on_demuxer_pad(self, demuxer, pad):
        loop = _Loop(demuxer, pad)
        pad.add_probe(Gst.PadProbeType.EVENT_DOWNSTREAM | Gst.PadProbeType.EVENT_FLUSH | Gst.PadProbeType.BUFFER,
                      loop.probe)


class _Loop:
    """Rewinds one demuxer output at its end so that downstream sees one endless stream.

    At EOS the demuxer is seeked back to the start with a flushing seek, but the EOS and the flush events
    are dropped where the demuxer emits them (an element downstream that saw EOS would refuse more data),
    and the pad's running-time offset is moved to where the previous pass ended, so timestamps keep
    increasing and the real-time pacing of the RTSP server continues without a pause or a burst.
    """

    def __init__(self, demuxer, pad):
        self.demuxer = demuxer
        self.pad = pad
        self.segment = None
        self.end = 0  # running time at which the last buffer ends

    def probe(self, pad, info):
        if info.type & Gst.PadProbeType.BUFFER:
            buf = info.get_buffer()
            if self.segment is not None and buf.pts != Gst.CLOCK_TIME_NONE:
                duration = buf.duration if buf.duration != Gst.CLOCK_TIME_NONE else 0
                # Segments seen here already include the pad offset, so this is the running time.
                end = self.segment.to_running_time(Gst.Format.TIME, buf.pts) + duration
                self.end = max(self.end, end)
            return Gst.PadProbeReturn.OK
        event = info.get_event()
        if event.type == Gst.EventType.SEGMENT:
            self.segment = event.parse_segment()
        elif event.type in (Gst.EventType.FLUSH_START, Gst.EventType.FLUSH_STOP):
            return Gst.PadProbeReturn.DROP  # our own rewind: downstream must not flush
        elif event.type == Gst.EventType.EOS:
            # Seeking from the streaming thread that is delivering the EOS would deadlock.
            GLib.idle_add(self.rewind)
            return Gst.PadProbeReturn.DROP
        return Gst.PadProbeReturn.OK

    def rewind(self):
        # A flushing seek starts the new segment at running time 0; the offset moves it to where we were.
        self.pad.set_offset(self.end)
        seek = Gst.Event.new_seek(1.0, Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.ACCURATE,
                                  Gst.SeekType.SET, 0, Gst.SeekType.NONE, -1)
        if not self.pad.send_event(seek):
            sys.stderr.write("rtsp_server.py: %s refused to rewind; clients will see the stream end\n"
                             % self.demuxer.get_name())
        return False


def parse_mount(text):
    if "=" not in text:
        raise argparse.ArgumentTypeError("expected /name=/path/to/file, got %r" % text)
    name, path = text.split("=", 1)
    if not name.startswith("/"):
        name = "/" + name
    if not os.path.isfile(path):
        raise argparse.ArgumentTypeError("no such file: %s" % path)
    return name, os.path.abspath(path)


def main(argv=None):
    p = argparse.ArgumentParser(description="Serve video files over RTSP, looping (test cameras).")
    p.add_argument("--port", type=int, default=8554, help="RTSP port; 0 picks a free one (default 8554)")
    p.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--mount", action="append", type=parse_mount, required=True,
                   help="/name=/path/to/file.mp4; repeat for more cameras")
    p.add_argument("--transcode", action="store_true",
                   help="re-encode to H.264 (for inputs that are not H.264)")
    p.add_argument("--gop", type=int, default=25, help="key frame interval when transcoding (default 25)")
    p.add_argument("--user", help="require this user name (HTTP Basic authentication)")
    p.add_argument("--password", default="", help="password for --user")
    args = p.parse_args(argv)

    Gst.init(None)
    for element in ("rtph264pay", "h264parse", "parsebin") + (("x264enc", "decodebin") if args.transcode else ()):
        if Gst.ElementFactory.find(element) is None:
            sys.stderr.write("rtsp_server.py: GStreamer element %s is missing; install gstreamer1.0-plugins-good "
                             "gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav\n" % element)
            return 3

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for name, path in args.mount:
        factory = LoopingFileFactory(path, args.transcode, args.gop)
        if args.user:
            permissions = GstRtspServer.RTSPPermissions()
            permissions.add_permission_for_role("viewer", "media.factory.access", True)
            permissions.add_permission_for_role("viewer", "media.factory.construct", True)
            factory.set_permissions(permissions)
        mounts.add_factory(name, factory)
    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "viewer")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
        server.set_auth(auth)

    try:
        server.attach(None)
    except GLib.Error as e:
        sys.stderr.write("rtsp_server.py: cannot listen on %s:%d: %s\n" % (args.address, args.port, e.message))
        return 2
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print("READY rtsp://%s:%d" % (args.address, server.get_bound_port()), flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
