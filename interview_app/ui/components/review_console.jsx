// Small browser-side helpers of the review console, wrapped by review_console.py beside this file.
// The CSP refuses eval (so no rx.call_script): the page drives these through props. Served
// publicly: it holds no secrets.
import { useEffect } from "react";

// Takes the reviewer token out of the address bar once the state has moved it to sessionStorage.
export function HideQueryToken({ hide }) {
  useEffect(() => {
    if (hide && window.location.search.includes("token=")) {
      history.replaceState(history.state, "", window.location.pathname);
    }
  }, [hide]);
  return null;
}

// Calls onTick every `intervalMs` while `active` (the list's in-progress rows); stops on unmount.
export function Ticker({ active, intervalMs, onTick }) {
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => onTick && onTick(), intervalMs || 5000);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return null;
}

// Scrolls the element `targetId` into view and focuses it whenever `nonce` changes (an evidence
// quote was clicked: its turn in the transcript).
export function ScrollToTarget({ targetId, nonce }) {
  useEffect(() => {
    if (!targetId) return;
    const el = document.getElementById(targetId);
    if (!el) return;
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    el.focus({ preventScroll: true });
  }, [targetId, nonce]);
  return null;
}

// Writes `text` to the clipboard whenever `nonce` changes (the Copy button of /review/new), then
// tells the state whether it worked (a page on plain http, or a denied permission, cannot).
export function CopyText({ text, nonce, onCopied }) {
  useEffect(() => {
    if (!nonce || !text) return;
    const done = (ok) => onCopied && onCopied(ok);
    if (!navigator.clipboard || !window.isSecureContext) {
      done(false);
      return;
    }
    navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
  }, [nonce]);
  return null;
}
