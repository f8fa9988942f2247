import { Injectable } from '@nestjs/common';
import { FoldCache } from '@cs/eventing';
import { type ProSchedule } from '../domain/pro-schedule/pro-schedule';

/** The instance's committed Pro schedules, shared by every booking command. */
@Injectable()
export class ScheduleCache extends FoldCache<ProSchedule> {}
