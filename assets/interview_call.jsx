// The candidate's side of the interview call, wrapped by interview_app/ui/components/interview_call.py.
// It checks the microphone (and camera) on mount, and when `active` turns true it places the
// WebRTC call: getUserMedia, RTCPeerConnection, the "oai-events" data channel, the SDP offer to
// `signalingUrl` with the call token, and the interviewer's audio. It reports back through
// onDevice, onStatus, onEvent and onError. Served publicly: it holds no secrets.
import React, { useEffect, useRef, useState } from "react";

const FORWARDED = new Set([
  "response.created",
  "response.output_audio_transcript.delta",
  "response.output_audio_transcript.done",
  "response.audio_transcript.delta",
  "response.audio_transcript.done",
  "input_audio_buffer.speech_started",
  "input_audio_buffer.speech_stopped",
  "error",
]);

function networkQuality() {
  const c = navigator.connection;
  if (!c || !c.effectiveType) return null;
  if (c.effectiveType === "4g") return "good";
  if (c.effectiveType === "3g") return "fair";
  return "poor";
}

function deviceType() {
  const ua = navigator.userAgent;
  if (/iPad|Tablet/i.test(ua) || (navigator.maxTouchPoints > 1 && /Macintosh/.test(ua))) return "tablet";
  if (/Mobi|Android|iPhone/i.test(ua)) return "mobile";
  return "desktop";
}

function permissionHelp(error) {
  if (error && (error.name === "NotAllowedError" || error.name === "SecurityError")) {
    return "Microphone access was blocked. Click the camera or lock icon in your browser's address bar, allow the microphone for this site, then reload the page.";
  }
  if (error && error.name === "NotFoundError") {
    return "No microphone was found. Connect a microphone or headset, then reload the page.";
  }
  return "We couldn't open your microphone. Check that no other app is using it, then reload the page.";
}

async function waitForIce(pc, timeoutMs) {
  if (pc.iceGatheringState === "complete") return;
  await new Promise((resolve) => {
    const done = () => { if (pc.iceGatheringState === "complete") { clearTimeout(timer); resolve(); } };
    const timer = setTimeout(resolve, timeoutMs);
    pc.addEventListener("icegatheringstatechange", done);
  });
}

export function InterviewCall({ token, signalingUrl, active, storageKey, storedSession, onDevice, onStatus, onEvent, onError }) {
  const [level, setLevel] = useState(0);
  const [hasVideo, setHasVideo] = useState(false);
  const streamRef = useRef(null);
  const videoRef = useRef(null);
  const audioRef = useRef(null);
  const callRef = useRef(null);
  const activeRef = useRef(active);
  activeRef.current = active;
  const handlers = useRef({});
  handlers.current = { onDevice, onStatus, onEvent, onError };
  const emit = (name, value) => { const h = handlers.current[name]; if (h) h(value); };

  // The session (id, token, expiry) kept for a resume; written here, since eval is refused by the CSP.
  useEffect(() => {
    if (storageKey && storedSession) sessionStorage.setItem(storageKey, storedSession);
  }, [storageKey, storedSession]);

  // Device check: runs by itself when the page opens.
  useEffect(() => {
    let stopped = false;
    let frame = 0;
    let audioContext = null;
    async function check() {
      const info = { userAgent: navigator.userAgent, deviceType: deviceType(), networkQuality: networkQuality(),
                     tzOffset: -new Date().getTimezoneOffset() };
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        emit("onDevice", JSON.stringify({ ...info, mic: "unavailable", camera: false,
          message: "This browser can't use a microphone here. Open the link in a recent Chrome, Edge, Firefox or Safari." }));
        return;
      }
      let stream = null;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
      } catch (videoError) {
        try {
          stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        } catch (error) {
          emit("onDevice", JSON.stringify({ ...info, mic: "denied", camera: false, message: permissionHelp(error) }));
          return;
        }
      }
      if (stopped) { stream.getTracks().forEach((t) => t.stop()); return; }
      streamRef.current = stream;
      const camera = stream.getVideoTracks().length > 0;
      setHasVideo(camera);
      if (camera && videoRef.current) videoRef.current.srcObject = stream;
      audioContext = new (window.AudioContext || window.webkitAudioContext)();
      // Browsers may start the context suspended until the page is used: resume on first touch.
      const resume = () => { if (audioContext && audioContext.state === "suspended") audioContext.resume().catch(() => {}); };
      resume();
      window.addEventListener("pointerdown", resume, { once: true });
      window.addEventListener("keydown", resume, { once: true });
      const analyser = audioContext.createAnalyser();
      analyser.fftSize = 512;
      audioContext.createMediaStreamSource(stream).connect(analyser);
      const samples = new Uint8Array(analyser.fftSize);
      const tick = () => {
        analyser.getByteTimeDomainData(samples);
        let sum = 0;
        for (const s of samples) { const v = (s - 128) / 128; sum += v * v; }
        setLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
        frame = requestAnimationFrame(tick);
      };
      tick();
      emit("onDevice", JSON.stringify({ ...info, mic: "ready", camera, message: "" }));
    }
    check();
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      if (audioContext) audioContext.close();
      if (streamRef.current) streamRef.current.getTracks().forEach((t) => t.stop());
    };
  }, []);

  useEffect(() => {
    if (hasVideo && videoRef.current && streamRef.current) videoRef.current.srcObject = streamRef.current;
  }, [hasVideo]);

  // The call: placed when `active` turns true, hung up when it turns false or the page goes away.
  useEffect(() => {
    if (!active || !token || !signalingUrl) return undefined;
    const call = { pc: null, url: null, ended: false };
    callRef.current = call;

    const hangUp = (reason) => {
      if (call.ended) return;
      call.ended = true;
      if (call.url) {
        fetch(call.url, { method: "DELETE", keepalive: true, headers: { Authorization: `Bearer ${token}` } }).catch(() => {});
      }
      if (call.pc) call.pc.close();
      if (reason !== "unmount") emit("onStatus", "ended");
    };
    call.hangUp = hangUp;

    async function place() {
      try {
        emit("onStatus", "connecting");
        let stream = streamRef.current;
        if (!stream) stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        const pc = new RTCPeerConnection({ iceServers: [] });
        call.pc = pc;
        stream.getAudioTracks().forEach((track) => pc.addTrack(track, stream));
        pc.ontrack = (e) => { if (audioRef.current) { audioRef.current.srcObject = e.streams[0] || new MediaStream([e.track]); audioRef.current.play().catch(() => {}); } };
        pc.onconnectionstatechange = () => {
          if (pc.connectionState === "connected") emit("onStatus", "connected");
          if (pc.connectionState === "failed") { emit("onError", "The connection to the interviewer was lost."); hangUp("failed"); }
        };
        const channel = pc.createDataChannel("oai-events");
        channel.onmessage = (message) => {
          let event;
          try { event = JSON.parse(message.data); } catch { return; }
          if (!FORWARDED.has(event.type)) return;
          emit("onEvent", JSON.stringify({ type: event.type, delta: event.delta, transcript: event.transcript,
                                           id: event.response_id || (event.response && event.response.id) || null,
                                           message: event.error && event.error.message }));
        };
        channel.onclose = () => hangUp("channel_closed");
        await pc.setLocalDescription(await pc.createOffer());
        await waitForIce(pc, 2000);
        if (call.ended) return;
        const endpoint = new URL(signalingUrl, window.location.href).toString();
        const response = await fetch(endpoint, {
          method: "POST", body: pc.localDescription.sdp,
          headers: { "Content-Type": "application/sdp", Authorization: `Bearer ${token}` },
        });
        if (!response.ok) {
          let detail = `${response.status}`;
          try { detail = (await response.json()).error || detail; } catch {}
          throw new Error(`The interviewer could not be reached (${detail}).`);
        }
        const location = response.headers.get("Location");
        if (location) call.url = new URL(location, endpoint).toString();
        await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
      } catch (error) {
        emit("onError", error && error.message ? error.message : "The call could not be started.");
        hangUp("error");
      }
    }
    place();
    const onPageHide = () => hangUp("pagehide");
    window.addEventListener("pagehide", onPageHide);
    return () => {
      window.removeEventListener("pagehide", onPageHide);
      hangUp(activeRef.current ? "unmount" : "ended");
    };
  }, [active, token, signalingUrl]);

  const bars = 12;
  const lit = Math.round(level * bars);
  return (
    <div className="interview-call">
      <div className="interview-call__preview" aria-hidden={!hasVideo}>
        {hasVideo
          ? <video ref={videoRef} autoPlay muted playsInline aria-label="Your camera preview" />
          : <div className="interview-call__no-video">Camera off: audio only</div>}
      </div>
      <div className="interview-call__meter" role="meter" aria-label="Microphone level"
           aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)}>
        {Array.from({ length: bars }, (_, i) => (
          <span key={i} className={i < lit ? "on" : ""} />
        ))}
      </div>
      <audio ref={audioRef} autoPlay />
    </div>
  );
}
