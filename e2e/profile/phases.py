# Sums the main thread's phases in a trace written by profile/playback.spec.ts, in ms a frame.
# Usage: python3 profile/phases.py <PROF_OUT>
import json, sys, collections
tr = json.load(open(sys.argv[1] + '.trace.json'))
names = {}
for e in tr:
    if e.get('ph') == 'M' and e.get('name') == 'thread_name': names[(e['pid'], e['tid'])] = e['args']['name']
main = [e for e in tr if names.get((e.get('pid'), e.get('tid'))) == 'CrRendererMain' and e.get('ph') == 'X' and 'dur' in e]
main.sort(key=lambda e: (e['ts'], -e['dur']))
# top-level per name: events not contained in another event of the same name
tot = collections.Counter(); ends = {}
for e in main:
    n = e['name']
    if e['ts'] < ends.get(n, 0): continue
    ends[n] = e['ts'] + e['dur']; tot[n] += e['dur']
frames = sum(1 for e in main if e['name'] == 'Layerize')
for n in ['TimerFire','FireAnimationFrame','UpdateLayoutTree','Layout','PrePaint','Paint','Layerize','Commit','HitTest','IntersectionObserverController::computeIntersections','MajorGC','MinorGC']:
    print('%-55s %6.2f ms/frame' % (n, tot[n] / 1000 / max(frames, 1)))
print('frames (Layerize count)', frames)
