// The candidate's side of the interview call, wrapped by interview_call.py beside this file.
// It checks the microphone on mount (and the camera only when `camera` is true: the plan's self view;
// nothing records video, so by default it is never asked for), and while `active` is true it keeps the WebRTC
// call up: getUserMedia, RTCPeerConnection, the "oai-events" data channel, the SDP offer to
// `signalingUrl` with the call token, and the interviewer's audio. A dropped connection (failed,
// disconnected for 3 s, or the data channel closed by the far end) is placed again, up to 3 times
// with back-off, with the newest `token` (the state renews it during a long interview without
// dropping the call); the server hangs up the previous call itself. When `released` turns true
// every camera and microphone track is stopped. It keeps the state's saved session in
// sessionStorage under `savedSessionKey` and hands it back (onSavedSession) when the page opens again. It
// reports through onDevice, onStatus, onEvent (plain objects), onError and onSavedSession. What the
// page says into the call (a typed answer, "I'm done answering": OpenAI's client events) comes as
// `outbox`, JSON `{seq, events}`: each new `seq` is sent once on the open "oai-events" channel. Served
// publicly: it holds no secrets.
import React, { useEffect, useRef, useState } from "react";

const FORWARDED = new Set([
  "response.created",
  "response.done",
  "response.output_audio_transcript.delta",
  "response.output_audio_transcript.done",
  "response.audio_transcript.delta",
  "response.audio_transcript.done",
  "input_audio_buffer.speech_started",
  "input_audio_buffer.speech_stopped",
  "conversation.item.input_audio_transcription.completed",
  "error",
]);
const RECONNECT_DELAYS_MS = [1000, 2000, 4000];
const DISCONNECTED_GRACE_MS = 3000;

function digest(event) {
  const id = event.response_id || (event.response && event.response.id) || event.item_id || null;
  const out = { type: event.type, id };
  if (typeof event.delta === "string") out.delta = event.delta;
  if (typeof event.transcript === "string") out.transcript = event.transcript;
  if (event.error && typeof event.error.message === "string") out.message = event.error.message;
  if (event.error && typeof event.error.code === "string") out.code = event.error.code;
  if (Number.isInteger(event.audio_start_ms)) out.startMs = event.audio_start_ms;
  if (Number.isInteger(event.audio_end_ms)) out.endMs = event.audio_end_ms;
  return out;
}

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

const METER_BARS = 12;  // the level meter's bars; its level moves by whole bars (React skips equal states)
const METER_SAMPLES_PER_S = 10;  // smooth enough to see one's voice, a tiny fraction of a frame-rate redraw

export function InterviewCall({
  token, signalingUrl, active, released, savedSessionKey, savedSession, hideToken, outbox, camera,
  onDevice, onStatus, onEvent, onError, onSavedSession,
}) {
  const [level, setLevel] = useState(0);
  const [hasVideo, setHasVideo] = useState(false);
  const streamRef = useRef(null);
  const extraStreamsRef = useRef([]);
  const meterRef = useRef({ timer: 0, audioContext: null });
  const videoRef = useRef(null);
  const audioRef = useRef(null);
  const handlers = useRef({});
  handlers.current = { onDevice, onStatus, onEvent, onError, onSavedSession };
  const tokenRef = useRef(token);
  tokenRef.current = token;  // read when the call is placed: a renewed token never restarts a live call
  const cameraRef = useRef(Boolean(camera));
  cameraRef.current = Boolean(camera);  // read by the device check when the page opens
  const releasedRef = useRef(released);
  releasedRef.current = released;
  const channelRef = useRef(null);  // the live call's "oai-events" channel
  const sentSeqRef = useRef(null);  // the outbox already handled: a mount or a re-render sends nothing again
  const emit = (name, value) => { const h = handlers.current[name]; if (h) h(value); };

  const releaseDevices = () => {
    clearInterval(meterRef.current.timer);
    if (meterRef.current.audioContext) meterRef.current.audioContext.close().catch(() => {});
    meterRef.current.audioContext = null;
    for (const stream of [streamRef.current, ...extraStreamsRef.current]) {
      if (stream) stream.getTracks().forEach((t) => t.stop());
    }
    extraStreamsRef.current = [];
    if (videoRef.current) videoRef.current.srcObject = null;
    setLevel(0);
  };

  // Device check: runs by itself when the page opens (not once the interview is over).
  useEffect(() => {
    let stopped = false;
    async function check() {
      if (releasedRef.current) return;
      const info = { userAgent: navigator.userAgent, deviceType: deviceType(), networkQuality: networkQuality(),
                     tzOffset: -new Date().getTimezoneOffset() };
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        emit("onDevice", { ...info, mic: "unavailable",
          message: "This browser can't use a microphone here. Open the link in a recent Chrome, Edge, Firefox or Safari." });
        return;
      }
      let stream = null;
      if (cameraRef.current) {
        try {
          stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
        } catch (videoError) {}  // no camera, or refused: the interview is spoken, the microphone is enough
      }
      if (!stream) {
        try {
          stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        } catch (error) {
          emit("onDevice", { ...info, mic: "denied", message: permissionHelp(error) });
          return;
        }
      }
      if (stopped || releasedRef.current) { stream.getTracks().forEach((t) => t.stop()); return; }
      streamRef.current = stream;
      const camera = stream.getVideoTracks().length > 0;
      setHasVideo(camera);
      if (camera && videoRef.current) videoRef.current.srcObject = stream;
      const audioContext = new (window.AudioContext || window.webkitAudioContext)();
      meterRef.current.audioContext = audioContext;
      // Browsers may start the context suspended until the page is used: resume on first touch.
      const resume = () => { if (audioContext.state === "suspended") audioContext.resume().catch(() => {}); };
      resume();
      window.addEventListener("pointerdown", resume, { once: true });
      window.addEventListener("keydown", resume, { once: true });
      const analyser = audioContext.createAnalyser();
      analyser.fftSize = 512;
      audioContext.createMediaStreamSource(stream).connect(analyser);
      const samples = new Uint8Array(analyser.fftSize);
      // The meter samples the microphone METER_SAMPLES_PER_S times a second and moves only by whole
      // bars: a redraw every animation frame kept a core (and a phone's battery) busy for nothing.
      const sample = () => {
        if (audioContext.state === "closed") { clearInterval(meterRef.current.timer); return; }
        analyser.getByteTimeDomainData(samples);
        let sum = 0;
        for (const s of samples) { const v = (s - 128) / 128; sum += v * v; }
        setLevel(Math.round(Math.min(1, Math.sqrt(sum / samples.length) * 4) * METER_BARS) / METER_BARS);
      };
      sample();
      meterRef.current.timer = setInterval(sample, 1000 / METER_SAMPLES_PER_S);
      emit("onDevice", { ...info, mic: "ready", message: "" });
    }
    check();
    return () => { stopped = true; releaseDevices(); };
  }, []);

  useEffect(() => {
    if (hasVideo && videoRef.current && streamRef.current && !released) videoRef.current.srcObject = streamRef.current;
  }, [hasVideo]);

  useEffect(() => { if (released) releaseDevices(); }, [released]);

  // Browser-side effects the state asks for through props: the page's CSP refuses eval, so no rx.call_script.
  // The session (id, token, expiry) is kept for a resume; the invite token leaves the address bar once read.
  // The saved session is handed back once per key: the key is only known once the state has the route.
  useEffect(() => {
    if (savedSessionKey) emit("onSavedSession", { key: savedSessionKey, value: sessionStorage.getItem(savedSessionKey) });
  }, [savedSessionKey]);
  useEffect(() => {
    if (savedSessionKey && savedSession) sessionStorage.setItem(savedSessionKey, savedSession);
  }, [savedSessionKey, savedSession]);
  useEffect(() => {
    if (hideToken && window.location.search) history.replaceState(history.state, "", window.location.pathname);
  }, [hideToken]);

  // What the page says into the call: sent once per new `seq`, only on an open channel. What the
  // outbox holds when the component mounts (the state kept it through a refresh) was said already.
  useEffect(() => {
    let message = null;
    try { message = JSON.parse(outbox || "null"); } catch {}
    const seq = message && Number.isInteger(message.seq) ? message.seq : 0;
    const mounted = sentSeqRef.current !== null;
    if (mounted && seq === sentSeqRef.current) return;
    sentSeqRef.current = seq;
    const channel = channelRef.current;
    if (!mounted || !message || !Array.isArray(message.events) || !channel || channel.readyState !== "open") return;
    for (const event of message.events) channel.send(JSON.stringify(event));
  }, [outbox]);

  // The call: kept up while `active` is true, hung up when it turns false or the page goes away.
  const hasToken = Boolean(token);
  useEffect(() => {
    if (!active || !hasToken || !signalingUrl) return undefined;
    // `placedWith`: the token the current call was placed with, which its hang-up must present.
    const call = { pc: null, url: null, placedWith: null, over: false, attempt: 0, timer: null, graceTimer: null };

    const closePeer = () => {
      clearTimeout(call.graceTimer);
      if (call.url) {
        const headers = { Authorization: `Bearer ${call.placedWith}` };
        fetch(call.url, { method: "DELETE", keepalive: true, headers }).catch(() => {});
        call.url = null;
      }
      if (call.pc) { const pc = call.pc; call.pc = null; pc.close(); }
    };
    const hangUp = () => {
      if (call.over) return;
      call.over = true;
      clearTimeout(call.timer);
      closePeer();
    };

    // The connection dropped: place the call again, or give up after the last try.
    const dropped = (pc) => {
      if (call.over || call.pc !== pc) return;
      closePeer();
      if (call.attempt >= RECONNECT_DELAYS_MS.length) {
        call.over = true;
        emit("onError", "We lost the connection to your interviewer. Check your internet connection, then try again.");
        return;
      }
      emit("onStatus", "reconnecting");
      call.timer = setTimeout(place, RECONNECT_DELAYS_MS[call.attempt]);
      call.attempt += 1;
    };

    async function place() {
      let pc = null;
      try {
        let stream = streamRef.current;
        if (!stream) {
          stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          extraStreamsRef.current.push(stream);
        }
        if (call.over) return;
        pc = new RTCPeerConnection({ iceServers: [] });
        call.pc = pc;
        stream.getAudioTracks().forEach((track) => pc.addTrack(track, stream));
        pc.ontrack = (e) => { if (audioRef.current) { audioRef.current.srcObject = e.streams[0] || new MediaStream([e.track]); audioRef.current.play().catch(() => {}); } };
        pc.onconnectionstatechange = () => {
          if (call.pc !== pc) return;
          clearTimeout(call.graceTimer);
          if (pc.connectionState === "connected") { call.attempt = 0; emit("onStatus", "connected"); }
          if (pc.connectionState === "failed") dropped(pc);
          if (pc.connectionState === "disconnected") call.graceTimer = setTimeout(() => dropped(pc), DISCONNECTED_GRACE_MS);
        };
        const channel = pc.createDataChannel("oai-events");
        channelRef.current = channel;
        channel.onmessage = (message) => {
          if (call.pc !== pc || message.data.length > 65536) return;
          let event;
          try { event = JSON.parse(message.data); } catch { return; }
          if (!event || !FORWARDED.has(event.type)) return;
          emit("onEvent", digest(event));
        };
        channel.onclose = () => dropped(pc);
        await pc.setLocalDescription(await pc.createOffer());
        await waitForIce(pc, 2000);
        if (call.pc !== pc) return;
        const endpoint = new URL(signalingUrl, window.location.href).toString();
        const placedWith = tokenRef.current;
        const response = await fetch(endpoint, {
          method: "POST", body: pc.localDescription.sdp,
          headers: { "Content-Type": "application/sdp", Authorization: `Bearer ${placedWith}` },
        });
        if (!response.ok) {
          let detail = `${response.status}`;
          try { detail = (await response.json()).error || detail; } catch {}
          const error = new Error(`The interviewer could not be reached (${detail}).`);
          error.final = response.status < 500;  // refused (4xx): another try would be refused too
          throw error;
        }
        const location = response.headers.get("Location");
        if (location) { call.url = new URL(location, endpoint).toString(); call.placedWith = placedWith; }
        if (call.pc !== pc) { closePeer(); return; }
        await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
      } catch (error) {
        if (call.over || (pc && call.pc !== pc)) return;
        if (call.attempt > 0 && !error.final) { dropped(pc); return; }  // a reconnect try failed: next try
        hangUp();
        emit("onError", error && error.message ? error.message : "The call could not be started.");
      }
    }
    emit("onStatus", "connecting");
    place();
    const onPageHide = () => hangUp();
    window.addEventListener("pagehide", onPageHide);
    return () => {
      window.removeEventListener("pagehide", onPageHide);
      hangUp();
    };
  }, [active, hasToken, signalingUrl]);

  const lit = Math.round(level * METER_BARS);
  return (
    <div className="interview-call">
      {camera
        ? <div className="interview-call__preview" aria-hidden={!hasVideo || released}>
            {hasVideo && !released
              ? <video ref={videoRef} autoPlay muted playsInline aria-label="Your camera preview" />
              : <div className="interview-call__no-video">{released ? "Camera and microphone off" : "Camera off: audio only"}</div>}
          </div>
        : <div className="interview-call__audio-only">{released ? "Microphone off" : "Audio only: your camera is not used"}</div>}
      <div className="interview-call__meter" role="meter" aria-label="Microphone level"
           aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)}>
        {Array.from({ length: METER_BARS }, (_, i) => (
          <span key={i} className={i < lit ? "on" : ""} />
        ))}
      </div>
      <audio ref={audioRef} autoPlay />
    </div>
  );
}

// mm:ss since `since` (an ISO 8601 time), ticking every second; empty until a time is known.
export function ElapsedTime({ since, id, className }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const start = Date.parse(since || "");
  if (Number.isNaN(start)) return <span id={id} className={className} />;
  const seconds = Math.max(0, Math.floor((now - start) / 1000));
  const text = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
  return <span id={id} className={className} role="timer" aria-label={`Elapsed time ${text}`}>{text}</span>;
}

// On the completion screen: the tab forgets its saved session, which leaves nothing to resume.
export function ForgetSavedSession({ savedSessionKey }) {
  useEffect(() => { if (savedSessionKey) sessionStorage.removeItem(savedSessionKey); }, [savedSessionKey]);
  return null;
}

// What the API does not have yet (unsent turns, an offline interview's grant), kept in localStorage under
// `keptKey` so that a closed tab loses nothing: handed back once per key (onKept, when given) before
// anything is written under it, written whenever `keptInterview` changes, removed when it is "none".
export function KeptInterview({ keptKey, keptInterview, onKept }) {
  const onKeptRef = useRef(onKept);
  onKeptRef.current = onKept;
  useEffect(() => {
    if (!keptKey || !onKeptRef.current) return;
    let value = null;
    try { value = localStorage.getItem(keptKey); } catch {}
    onKeptRef.current({ key: keptKey, value });
  }, [keptKey]);
  useEffect(() => {
    if (!keptKey || !keptInterview) return;
    try {
      if (keptInterview === "none") localStorage.removeItem(keptKey);
      else localStorage.setItem(keptKey, keptInterview);
    } catch {}  // storage full or turned off: the page's state still holds it and sends it
  }, [keptKey, keptInterview]);
  return null;
}

// A keyboard shortcut that clicks the button `targetId` (when it is there and enabled). `combo` is
// modifiers and a key code, as "Alt+Shift+KeyD" (the key's place, whatever the keyboard layout); with
// `withinId` it works only while the focus is inside that element.
export function KeyboardShortcut({ combo, targetId, withinId }) {
  useEffect(() => {
    const parts = (combo || "").split("+");
    const code = parts.pop();
    const wants = new Set(parts);
    const onKey = (event) => {
      if (event.code !== code || event.repeat) return;
      if (event.altKey !== wants.has("Alt") || event.shiftKey !== wants.has("Shift")) return;
      if (event.ctrlKey !== wants.has("Control") || event.metaKey !== wants.has("Meta")) return;
      if (withinId) {
        const scope = document.getElementById(withinId);
        if (!scope || !scope.contains(document.activeElement)) return;
      }
      const target = document.getElementById(targetId);
      if (!target || target.disabled) return;
      event.preventDefault();
      target.click();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [combo, targetId, withinId]);
  return null;
}

// Keeps the element `targetId` scrolled to its newest item whenever `watch` changes.
export function ScrollToEnd({ targetId, watch }) {
  useEffect(() => {
    const el = document.getElementById(targetId);
    if (el) el.scrollTop = el.scrollHeight;
  }, [targetId, watch]);
  return null;
}
