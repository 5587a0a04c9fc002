import { memo, useId, useMemo, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ShelterStatus } from '../../api/shelterTypes';
import { CONGESTIONS, CONGESTION_FILL, type Congestion } from './congestion';

/** One shelter as the map draws it. */
export interface MapShelter {
  id: string;
  name: string;
  /** Decimal strings as the API gives them; shelters without a valid position are left off the map. */
  latitude: string | null;
  longitude: string | null;
  capacity: number | null;
  present: number;
  status: ShelterStatus;
  congestion: Congestion;
}

export interface ShelterMapProps {
  shelters: readonly MapShelter[];
  /** The municipality's name, written on the map. */
  areaName: string;
  /** Called when a circle is clicked or activated with Enter / Space (e.g. to show the shelter's row). */
  onSelect?: (id: string) => void;
  /** Write each shelter's name and congestion word beside its circle (only when there are few). */
  labels?: boolean;
}

interface Point {
  lat: number;
  lon: number;
}

export interface Projection {
  width: number;
  height: number;
  project: (p: Point) => [number, number];
  /** The lat/lon extent of the whole drawing (shelters plus margin). */
  west: number;
  east: number;
  south: number;
  north: number;
}

const WIDTH = 800;
const MIN_HEIGHT = 320;
const MAX_HEIGHT = 640;
const PAD = 24;
/** Smallest extent drawn (about 1 km), so that one shelter or a tight cluster still gets a sensible map. */
const MIN_SPAN = 0.01;

/** Parses the API's decimal strings; null when missing or outside the globe. */
export function toPoint(latitude: string | null, longitude: string | null): Point | null {
  if (latitude === null || longitude === null || latitude.trim() === '' || longitude.trim() === '') return null;
  const lat = Number(latitude);
  const lon = Number(longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

/** The points of a position key (`lat,lon;lat,lon…`, as ShelterMap builds it). */
function pointsOfKey(key: string): Point[] {
  if (key === '') return [];
  return key.split(';').map((pair) => {
    const [lat, lon] = pair.split(',');
    return { lat: Number(lat), lon: Number(lon) };
  });
}

/**
 * An equirectangular projection fitted to the points' bounding box with a 10 % margin. Longitude is
 * scaled by cos(mid latitude) so that shapes are not stretched (a municipality is small enough for this
 * to be accurate; no tiles, no network).
 */
export function fitProjection(points: readonly Point[]): Projection {
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const p of points) {
    if (p.lat < minLat) minLat = p.lat;
    if (p.lat > maxLat) maxLat = p.lat;
    if (p.lon < minLon) minLon = p.lon;
    if (p.lon > maxLon) maxLon = p.lon;
  }
  if (points.length === 0) {
    // Nothing to fit: an arbitrary small box (the caller shows a message instead).
    minLat = maxLat = 35;
    minLon = maxLon = 135;
  }
  const midLat = (minLat + maxLat) / 2;
  const kx = Math.max(Math.cos((midLat * Math.PI) / 180), 0.05);
  // Grow to the minimum span and add the margin, around the centre.
  const latSpan = Math.max(maxLat - minLat, MIN_SPAN) * 1.2;
  const lonSpan = Math.max(maxLon - minLon, MIN_SPAN / kx) * 1.2;
  const cLat = (minLat + maxLat) / 2;
  const cLon = (minLon + maxLon) / 2;

  const innerW = WIDTH - 2 * PAD;
  const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.round((latSpan / (lonSpan * kx)) * innerW + 2 * PAD)));
  const innerH = height - 2 * PAD;
  const scale = Math.min(innerW / (lonSpan * kx), innerH / latSpan);
  const cx = WIDTH / 2;
  const cy = height / 2;
  const project = (p: Point): [number, number] => [cx + (p.lon - cLon) * kx * scale, cy - (p.lat - cLat) * scale];
  return {
    width: WIDTH,
    height,
    project,
    west: cLon - cx / (kx * scale),
    east: cLon + (WIDTH - cx) / (kx * scale),
    north: cLat + cy / scale,
    south: cLat - (height - cy) / scale,
  };
}

const STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

/** A round graticule step giving at most about six lines across `span` degrees. */
export function graticuleStep(span: number): number {
  return STEPS.find((s) => span / s <= 6) ?? 10;
}

function gridValues(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  // Integer steps avoid floating drift (35.400000000004).
  for (let i = Math.ceil(from / step); i * step <= to; i++) out.push(Number((i * step).toFixed(6)));
  return out;
}

function decimals(step: number): number {
  return Math.max(0, Math.ceil(-Math.log10(step)));
}

/** Circle radius from capacity: area grows with capacity; unknown capacity gets a small fixed circle. */
function radius(capacity: number | null, maxCapacity: number): number {
  if (capacity === null || capacity <= 0 || maxCapacity <= 0) return 6;
  return 5 + 13 * Math.sqrt(capacity / maxCapacity);
}

/** The white mark inside a circle that repeats the congestion word without colour (○ △ ▲ × －). */
function Mark({ congestion, r }: { congestion: Congestion; r: number }) {
  const s = Math.max(r * 0.5, 2.5);
  const common = { stroke: 'white', strokeWidth: 1.8, fill: 'none', 'aria-hidden': true } as const;
  switch (congestion) {
    case 'empty':
      return <circle r={s * 0.7} {...common} />;
    case 'some':
      return <path d={`M0 ${-s} L${s} ${s * 0.8} L${-s} ${s * 0.8} Z`} {...common} />;
    case 'crowded':
      return <path d={`M0 ${-s} L${s} ${s * 0.8} L${-s} ${s * 0.8} Z`} {...common} fill="white" />;
    case 'full':
      return <path d={`M${-s} ${-s} L${s} ${s} M${s} ${-s} L${-s} ${s}`} {...common} />;
    case 'unknown':
      return <path d={`M${-s} 0 L${s} 0`} {...common} />;
  }
}

interface MapPointProps {
  id: string;
  x: number;
  y: number;
  r: number;
  name: string;
  present: number;
  capacity: number | null;
  status: ShelterStatus;
  congestion: Congestion;
  /** Closed or opening requested: drawn with a dashed outline. */
  inactive: boolean;
  /** Write the name and congestion word beside the circle. */
  labelled: boolean;
  /** The map's `t` (one subscription to language changes for the whole map, not one per circle). */
  t: TFunction;
  onSelect?: (id: string) => void;
}

/**
 * One shelter: memoised on primitives, so a live update redraws only the shelters that changed, and
 * only those translate their title again (a thousand circles each make two or three `t` calls).
 */
const MapPoint = memo(function MapPoint({
  id,
  x,
  y,
  r,
  name,
  present,
  capacity,
  status,
  congestion,
  inactive,
  labelled,
  t,
  onSelect,
}: MapPointProps) {
  const congestionWord = t(`hq.congestion.${congestion}`);
  const statusWord = t(`hq.status.${status}`);
  const title =
    capacity !== null
      ? t('hq.map.shelterTitle', { name, present, capacity, status: statusWord, congestion: congestionWord })
      : t('hq.map.shelterTitleNoCapacity', { name, present, status: statusWord, congestion: congestionWord });
  const label = labelled ? t('hq.map.pointLabel', { name, congestion: congestionWord }) : null;
  const activate = onSelect ? () => onSelect(id) : undefined;
  const onKeyDown = onSelect
    ? (e: KeyboardEvent<SVGGElement>) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(id);
        }
      }
    : undefined;
  return (
    <g
      transform={`translate(${x} ${y})`}
      tabIndex={0}
      role={onSelect ? 'button' : 'img'}
      aria-label={title}
      data-map-shelter-id={id}
      data-congestion={congestion}
      onClick={activate}
      onKeyDown={onKeyDown}
      className={`group outline-none ${onSelect ? 'cursor-pointer' : ''}`}
    >
      <title>{title}</title>
      {/* The focus ring: SVG outlines are unreliable, so a thick ring is drawn when focused. */}
      <circle r={r + 5} className="fill-none stroke-transparent group-focus-visible:stroke-focus-yellow" strokeWidth={5} />
      <circle
        r={r}
        className={`${CONGESTION_FILL[congestion]} stroke-solid-gray-900`}
        fillOpacity={inactive ? 0.45 : 0.9}
        strokeWidth={1.5}
        strokeDasharray={inactive ? '3 2' : undefined}
      />
      <Mark congestion={congestion} r={r} />
      {label && (
        <text
          x={r + 4}
          y={4}
          className="fill-solid-gray-900 text-[12px]"
          stroke="white"
          strokeWidth={3}
          paintOrder="stroke"
          aria-hidden="true"
        >
          {label}
        </text>
      )}
    </g>
  );
});

/** A legend swatch: the same circle and mark as on the map. */
function Swatch({ congestion, inactive = false }: { congestion: Congestion; inactive?: boolean }) {
  return (
    <svg viewBox="-11 -11 22 22" className="size-6 shrink-0" aria-hidden="true">
      <circle
        r={9}
        className={`${CONGESTION_FILL[congestion]} stroke-solid-gray-900`}
        fillOpacity={inactive ? 0.45 : 0.9}
        strokeWidth={1.5}
        strokeDasharray={inactive ? '3 2' : undefined}
      />
      <Mark congestion={congestion} r={9} />
    </svg>
  );
}

/**
 * The shelters on a plain SVG map: no tile server, no network. Circles are sized by capacity,
 * coloured and marked by congestion; each is focusable and names the shelter, its count and status.
 */
export const ShelterMap = memo(function ShelterMap({ shelters, areaName, onSelect, labels = false }: ShelterMapProps) {
  const { t } = useTranslation();
  const titleId = useId();

  // Positions are parsed once per list; the projection only changes when the set of positions does.
  const located = useMemo(() => {
    const out: { s: MapShelter; p: Point }[] = [];
    for (const s of shelters) {
      const p = toPoint(s.latitude, s.longitude);
      if (p) out.push({ s, p });
    }
    return out;
  }, [shelters]);
  const positionKey = located.map(({ p }) => `${p.lat},${p.lon}`).join(';');
  // Keyed on the positions, not the list identity: a count update must not refit the map. Fitted to
  // the points read back from the key (a number's string gives the same number back).
  const projection = useMemo(() => fitProjection(pointsOfKey(positionKey)), [positionKey]);
  const maxCapacity = useMemo(() => located.reduce((m, { s }) => Math.max(m, s.capacity ?? 0), 0), [located]);

  const grid = useMemo(() => {
    const { west, east, south, north } = projection;
    const step = graticuleStep(Math.max(north - south, east - west));
    const digits = decimals(step);
    return {
      lats: gridValues(south, north, step).map((lat) => ({ lat, y: projection.project({ lat, lon: west })[1], text: `${lat.toFixed(digits)}°N` })),
      lons: gridValues(west, east, step).map((lon) => ({ lon, x: projection.project({ lat: south, lon })[0], text: `${lon.toFixed(digits)}°E` })),
    };
  }, [projection]);

  const missing = shelters.length - located.length;
  const showLabels = labels && located.length <= 30;

  const points = located
    .map(({ s, p }) => {
      const [x, y] = projection.project(p);
      return {
        id: s.id,
        x: Math.round(x * 10) / 10,
        y: Math.round(y * 10) / 10,
        r: Math.round(radius(s.capacity, maxCapacity) * 10) / 10,
        name: s.name,
        present: s.present,
        capacity: s.capacity,
        status: s.status,
        congestion: s.congestion,
        inactive: s.status === 'closed' || s.status === 'requested',
        labelled: showLabels,
      };
    })
    // Large circles first, so small ones stay clickable on top of them.
    .sort((a, b) => b.r - a.r);

  return (
    <figure className="flex flex-col gap-3">
      {located.length === 0 ? (
        <p className="rounded-8 border border-solid-gray-420 bg-solid-gray-50 p-4">{t('hq.map.empty')}</p>
      ) : (
        <svg
          viewBox={`0 0 ${projection.width} ${projection.height}`}
          role="group"
          aria-labelledby={titleId}
          className="h-auto w-full rounded-8 border border-solid-gray-420 bg-solid-gray-50"
          data-testid="shelter-map"
        >
          <title id={titleId}>{t('hq.map.label', { name: areaName })}</title>
          <g aria-hidden="true" className="stroke-solid-gray-300" strokeWidth={1}>
            {grid.lats.map((g) => (
              <line key={`lat-${g.lat}`} x1={0} x2={projection.width} y1={g.y} y2={g.y} />
            ))}
            {grid.lons.map((g) => (
              <line key={`lon-${g.lon}`} y1={0} y2={projection.height} x1={g.x} x2={g.x} />
            ))}
          </g>
          <g aria-hidden="true" className="fill-solid-gray-700 text-[11px]">
            {/* Labels too close to an edge would be cut off. */}
            {grid.lats.filter((g) => g.y > 16).map((g) => (
              <text key={`latt-${g.lat}`} x={4} y={g.y - 3}>
                {g.text}
              </text>
            ))}
            {grid.lons.filter((g) => g.x < projection.width - 70).map((g) => (
              <text key={`lont-${g.lon}`} x={g.x + 3} y={projection.height - 4}>
                {g.text}
              </text>
            ))}
          </g>
          <g aria-hidden="true">
            <text x={PAD} y={PAD + 4} className="fill-solid-gray-900 text-[18px] font-bold" stroke="white" strokeWidth={4} paintOrder="stroke">
              {areaName}
            </text>
            <g transform={`translate(${projection.width - PAD - 6} ${PAD + 6})`} className="fill-solid-gray-900">
              <path d="M0 -14 L6 4 L0 0 L-6 4 Z" />
              <text y={18} textAnchor="middle" className="text-[12px] font-bold">
                {t('hq.map.north')}
              </text>
            </g>
          </g>
          <g>
            {points.map((pt) => (
              <MapPoint key={pt.id} {...pt} t={t} onSelect={onSelect} />
            ))}
          </g>
        </svg>
      )}
      <figcaption className="flex flex-col gap-2 text-dns-16N-130">
        <span className="text-std-16B-170">{t('hq.map.legend')}</span>
        <ul className="flex flex-wrap gap-x-5 gap-y-2">
          {CONGESTIONS.map((c) => (
            <li key={c} className="flex items-center gap-2">
              <Swatch congestion={c} />
              {t(`hq.congestion.${c}`)}
            </li>
          ))}
          <li className="flex items-center gap-2">
            <Swatch congestion="unknown" inactive />
            {t('hq.map.closedMark')}
          </li>
        </ul>
        <span>{t('hq.map.circleSize')}</span>
        {missing > 0 && <span>{t('hq.map.noLocation', { count: missing })}</span>}
      </figcaption>
    </figure>
  );
});
