// One tap to answer: after Record, the recording stops by itself once the learner has said
// something and then been quiet for a moment, or when nothing was said for a long while.
//
// Why in the browser and not a VAD on the server (silero-vad would run there): Gradio's microphone
// sends its recording only when it stops; a server-side VAD would need the streaming microphone,
// every listening learner sending chunks through the queue to a 2-core server, and a round trip
// before the browser is told to stop. Here the level of the very samples being recorded is read
// every few tens of milliseconds at no cost to the server, and stopping is a click on Gradio's own
// Stop button, so the recording reaches the server exactly as after a learner's Stop.
//
// Why the recording's own stream and not a second getUserMedia: some phone browsers (Safari on
// iOS) silence a microphone track when the page opens another one, and a second stream could ask
// for permission again. So getUserMedia is wrapped: the stream Gradio asks for after a tap on its
// Record button is also listened to here.
(() => {
  // Levels are the RMS of a frame in dB below full scale (dBFS).
  // A voice near a phone or laptop is 20–40 dB above the room's hum; 15 dB still catches a quiet one.
  const SPEECH_ABOVE_FLOOR_DB = 15;
  // Quieter than this over the floor is quiet: between the two, a word's fading end ("…nd") is
  // still the word, so a soft ending does not cut the recording early.
  const QUIET_ABOVE_FLOOR_DB = 8;
  // Never speech below this, whatever the floor: the browser's noise suppression can turn a room
  // into near digital silence, and a breath would then stand 15 dB above it.
  const SPEECH_MIN_DB = -50;
  // A quiet room at a phone or laptop microphone. The floor starts here, not at the first frame,
  // because a learner may start speaking at once.
  const INITIAL_FLOOR_DB = -60;
  // How fast the floor follows a room that gets louder: within a few seconds, while a word
  // (half a second) hardly moves it. A quieter room is followed at once.
  const FLOOR_RISE_TIME_MS = 2000;
  // Loud for this long is speech: a tap on the screen or a click of the mouse is shorter.
  const SPEECH_START_MS = 120;
  // Quiet this long after speech ends the answer: the pauses in "en ... hund" or in a slow word
  // are shorter, and a longer wait feels slow.
  const QUIET_AFTER_SPEECH_MS = 800;
  // Nothing said for this long: longer than anyone takes to start one word. The recording is then
  // sent as it is and the server says it heard nothing.
  const NOTHING_SAID_MS = 7000;
  // The server hears only the first 10 s (game/speech.py MAX_SECONDS): there is no use going on.
  const LONGEST_RECORDING_MS = 10000;
  // How often the level is read; the analyser's window (2048 samples, about 43 ms) covers it.
  const FRAME_MS = 50;
  const LOWEST_DB = -100; // digital silence, instead of minus infinity

  const RECORD = "#mic button.record-button";
  const STOP = "#mic button.stop-button";

  /** The listener's decision, fed one level at a time: true once the recording should stop. */
  function quietDetector(startedAt) {
    let floor = INITIAL_FLOOR_DB;
    let loudSince = null;
    let spoke = false;
    let lastSound = startedAt;
    let lastFrame = startedAt;
    return (level, now) => {
      const speechAt = Math.max(floor + SPEECH_ABOVE_FLOOR_DB, SPEECH_MIN_DB);
      const quietAt = speechAt - (SPEECH_ABOVE_FLOOR_DB - QUIET_ABOVE_FLOOR_DB);
      if (level >= speechAt) {
        loudSince ??= now;
        spoke ||= now - loudSince >= SPEECH_START_MS;
        lastSound = now;
      } else {
        loudSince = null;
        if (level >= quietAt) lastSound = now;
        const rise = Math.min(1, (now - lastFrame) / FLOOR_RISE_TIME_MS);
        floor = level < floor ? level : floor + (level - floor) * rise;
      }
      lastFrame = now;
      const elapsed = now - startedAt;
      if (elapsed >= LONGEST_RECORDING_MS) return true;
      return spoke ? now - lastSound >= QUIET_AFTER_SPEECH_MS : elapsed >= NOTHING_SAID_MS;
    };
  }

  function decibels(samples) {
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const rms = Math.sqrt(sum / samples.length);
    return rms > 0 ? Math.max(20 * Math.log10(rms), LOWEST_DB) : LOWEST_DB;
  }

  if (typeof module === "object") {
    // Node, for tests/test_stop_when_quiet.py: the decision without a page or a microphone.
    const limits = { FRAME_MS, SPEECH_START_MS, QUIET_AFTER_SPEECH_MS, NOTHING_SAID_MS, LONGEST_RECORDING_MS };
    module.exports = { quietDetector, ...limits };
    return;
  }

  const shown = (element) => element !== null && element.offsetParent !== null;

  function stopWhenQuiet(stream) {
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(stream).connect(analyser);
    context.resume(); // started by a tap, so allowed; a no-op when already running
    const samples = new Float32Array(analyser.fftSize);
    const [track] = stream.getAudioTracks();
    const done = quietDetector(performance.now());
    let recording = false; // Stop was on screen: the recording started
    const timer = setInterval(() => {
      const stop = document.querySelector(STOP);
      const ended = (recording && !shown(stop)) || !track || track.readyState === "ended";
      recording ||= shown(stop);
      if (!ended) {
        analyser.getFloatTimeDomainData(samples);
        if (!done(decibels(samples), performance.now())) return;
        if (shown(stop)) stop.click(); // as if the learner had pressed Stop
      }
      clearInterval(timer); // the learner pressed Stop, or the recording is over
      context.close();
    }, FRAME_MS);
  }

  let recordTapped = false; // the next microphone stream is the one Record asked for
  document.addEventListener(
    "click",
    (event) => {
      if (event.target instanceof Element && event.target.closest(RECORD)) recordTapped = true;
    },
    true, // before Gradio's own handler asks for the microphone
  );
  const devices = navigator.mediaDevices;
  if (!devices || !devices.getUserMedia) return; // no microphone here: nothing to listen to
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    if (recordTapped && constraints && constraints.audio) {
      recordTapped = false;
      // Once Gradio's recorder has started: opening the analyser first would cut the word's onset.
      setTimeout(() => stopWhenQuiet(stream), 0);
    }
    return stream;
  };
})();
