export {
  addCalendarDays,
  isCalendarDate,
  isoWeekday,
  InvalidCalendarDateError,
} from './calendar-date';
export { atLocalTime, localDateOf, isLocalTime, InvalidLocalTimeError, LONDON_TIME_ZONE } from './local-time';
export {
  EnglandAndWalesCalendar,
  type EnglandAndWalesCalendarOptions,
  type WorkingDayCalendar,
} from './working-day-calendar';
